package io.ruvector.index.kernel;

/**
 * Plain-Java kernels: the loops of pgvector 0.8.0 {@code src/vector.c}, line for line.
 *
 * <p>Each sum starts at {@code 0f} and adds terms in index order in a {@code float}, as the C
 * source is written. Java never contracts {@code a * b + c} into a fused multiply-add, so this is
 * pgvector's portable ({@code "default"} target clone, no fast-math reassociation) result exactly;
 * an auto-vectorised or FMA build of pgvector differs from it by float rounding only. This is the
 * reference the SIMD kernels are tested against, and the fallback when the Vector API is absent.
 *
 * <p>Stateless and thread-safe; no argument checks (see {@link VectorDistance}).
 */
final class ScalarVectorDistance implements VectorDistance {

    static final ScalarVectorDistance INSTANCE = new ScalarVectorDistance();

    private ScalarVectorDistance() {
    }

    @Override
    public float dotProduct(float[] q, float[] data, int offset, int dims) {
        float sum = 0f;
        for (int i = 0; i < dims; i++) {
            sum += q[i] * data[offset + i];
        }
        return sum;
    }

    @Override
    public float squaredL2(float[] q, float[] data, int offset, int dims) {
        float sum = 0f;
        for (int i = 0; i < dims; i++) {
            // pgvector: float diff = ax[i] - bx[i]; distance += diff * diff;
            float diff = q[i] - data[offset + i];
            sum += diff * diff;
        }
        return sum;
    }

    @Override
    public float l1(float[] q, float[] data, int offset, int dims) {
        float sum = 0f;
        for (int i = 0; i < dims; i++) {
            // pgvector: distance += fabsf(ax[i] - bx[i]);
            sum += Math.abs(q[i] - data[offset + i]);
        }
        return sum;
    }

    @Override
    public double cosineSimilarity(float[] q, float[] data, int offset, int dims) {
        float dot = 0f;
        float normQ = 0f;
        float normR = 0f;
        for (int i = 0; i < dims; i++) {
            float x = q[i];
            float y = data[offset + i];
            dot += x * y;
            normQ += x * x;
            normR += y * y;
        }
        return KernelMath.cosineFromSums(dot, normQ, normR);
    }

    @Override
    public void decodeCodes(float[] min, float[] step, byte[] codes, int offset, float[] dst, int dstOffset, int dims) {
        decodeCodes(min, step, codes, offset, dst, dstOffset, 0, dims);
    }

    @Override
    public float codeSquaredL2(float[] centred, float[] step, byte[] codes, int offset, int dims) {
        return codeSquaredL2(centred, step, codes, offset, 0, dims);
    }

    @Override
    public float codeDot(float[] weights, byte[] codes, int offset, int dims) {
        return codeDot(weights, codes, offset, 0, dims);
    }

    /** {@link #codeSquaredL2} over components {@code from..dims)}: also the SIMD kernels' tail. */
    /** {@link #decodeCodes} over components {@code from..dims)}: also the SIMD kernel's tail. */
    static void decodeCodes(float[] min, float[] step, byte[] codes, int offset, float[] dst, int dstOffset, int from,
                            int dims) {
        for (int i = from; i < dims; i++) {
            dst[dstOffset + i] = min[i] + (codes[offset + i] & 0xFF) * step[i];
        }
    }

    static float codeSquaredL2(float[] centred, float[] step, byte[] codes, int offset, int from, int dims) {
        float sum = 0f;
        for (int i = from; i < dims; i++) {
            float d = centred[i] - (codes[offset + i] & 0xFF) * step[i];
            sum += d * d;
        }
        return sum;
    }

    /** {@link #codeDot} over components {@code from..dims)}: also the SIMD kernels' tail. */
    static float codeDot(float[] weights, byte[] codes, int offset, int from, int dims) {
        float sum = 0f;
        for (int i = from; i < dims; i++) {
            sum += weights[i] * (codes[offset + i] & 0xFF);
        }
        return sum;
    }

    /** {@link VectorDistance#nibbleDot}: low nibbles then high nibbles of each block's 16 bytes. */
    static float nibbleDotInOrder(float[] weights, byte[] codes, int offset, int blocks) {
        float sum = 0f;
        for (int b = 0; b < blocks; b++) {
            int w = b * NibbleQuantizer.BLOCK;
            int c = offset + b * NibbleQuantizer.BLOCK_BYTES;
            for (int j = 0; j < NibbleQuantizer.BLOCK_BYTES; j++) {
                int v = codes[c + j];
                sum += weights[w + j] * (v & 0xF) + weights[w + NibbleQuantizer.BLOCK_BYTES + j] * ((v >> 4) & 0xF);
            }
        }
        return sum;
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String toString() {
        return "ScalarVectorDistance";
    }
}
