package io.ruvector.index.kernel;

/**
 * Bare float32 distance kernels: the four reductions pgvector 0.8.0 runs in {@code src/vector.c}.
 *
 * <p><b>Arithmetic contract (replicates pgvector).</b> pgvector's {@code VectorL2SquaredDistance},
 * {@code VectorInnerProduct} and {@code VectorL1Distance} accumulate in a C {@code float} that
 * starts at {@code 0.0} and return that {@code float}; only the caller widens it to
 * {@code double}. {@code VectorCosineSimilarity} accumulates its three sums (dot, |a|², |b|²) in
 * {@code float} too, but returns a {@code double}: {@code (double) dot / sqrt((double) na * (double) nb)}.
 * So the sums here return {@code float} and {@link #cosineSimilarity} returns {@code double}; never
 * accumulate in {@code double}, or results drift from what PostgreSQL returns.
 *
 * <p><b>Summation order.</b> pgvector's loops are written sequentially but compiled with
 * {@code -ftree-vectorize -fassociative-math} (and a {@code target_clones("default","fma")}
 * clone), so PostgreSQL itself sums in SIMD lanes, possibly with fused multiply-add; its order
 * depends on the build and the CPU. No Java kernel can promise bit-identical sums, only the same
 * accumulation type: {@link ScalarVectorDistance} sums sequentially exactly as the C source
 * reads, {@link PanamaVectorDistance} sums lane-wise. The difference is a few float ulps of the
 * sum of absolute terms (measured in {@code VectorDistanceKernelTest} and
 * {@code PgvectorDistanceIT}).
 *
 * <p><b>No checks.</b> Kernels are stateless, thread-safe and do not validate arguments: the
 * façade ({@link DistanceFunction}) checks dimensions and bounds once. The offset variants read
 * {@code q[0..dims)} against {@code data[offset..offset+dims)}, a row of a flat row-major matrix.
 */
public interface VectorDistance {

    /** Σ q[i]·data[offset+i] accumulated in float (pgvector {@code VectorInnerProduct}). */
    float dotProduct(float[] q, float[] data, int offset, int dims);

    /** Σ (q[i]−data[offset+i])² accumulated in float (pgvector {@code VectorL2SquaredDistance}). */
    float squaredL2(float[] q, float[] data, int offset, int dims);

    /** Σ |q[i]−data[offset+i]| accumulated in float (pgvector {@code VectorL1Distance}). */
    float l1(float[] q, float[] data, int offset, int dims);

    /**
     * pgvector {@code VectorCosineSimilarity}: dot, |q|² and |row|² summed in float, then
     * {@code (double) dot / Math.sqrt((double) nq * (double) nr)} — one square root of the product,
     * not a product of two roots. NaN when either vector is zero (0/0); not clamped here.
     */
    double cosineSimilarity(float[] q, float[] data, int offset, int dims);

    /**
     * Σ (centred[i] − c_i·step[i])², with {@code c_i} the unsigned byte {@code codes[offset+i]}:
     * the squared L2 distance to an int8 code row of a {@link ScalarQuantizer} (see its
     * {@link ScalarQuantizer.Query}). Approximate by nature: no pgvector contract, any order.
     */
    float codeSquaredL2(float[] centred, float[] step, byte[] codes, int offset, int dims);

    /**
     * Decodes the int8 code row at {@code codes[offset..+dims)} into {@code dst[dstOffset..+dims)}:
     * {@code min[i] + c_i·step[i]}, multiplied then added (no fused multiply-add), so every kernel
     * writes the same floats: error bounds measured against one decoding hold for all.
     */
    void decodeCodes(float[] min, float[] step, byte[] codes, int offset, float[] dst, int dstOffset, int dims);

    /** Σ weights[i]·c_i over the unsigned bytes {@code codes[offset..offset+dims)}; approximate, any order. */
    float codeDot(float[] weights, byte[] codes, int offset, int dims);

    /**
     * {@link #codeSquaredL2} of four code rows at once, into {@code out[0..4)}. A graph walk
     * visits rows scattered in memory and waits on each row's cache misses; reading four rows in
     * one loop keeps four streams of loads in flight (measured: ~212 → ~105 ns per 784-byte row).
     */
    default void codeSquaredL2x4(float[] centred, float[] step, byte[] codes, int o0, int o1, int o2, int o3, int dims,
                                 float[] out) {
        out[0] = codeSquaredL2(centred, step, codes, o0, dims);
        out[1] = codeSquaredL2(centred, step, codes, o1, dims);
        out[2] = codeSquaredL2(centred, step, codes, o2, dims);
        out[3] = codeSquaredL2(centred, step, codes, o3, dims);
    }

    /** {@link #codeDot} of four code rows at once, into {@code out[0..4)} (see {@link #codeSquaredL2x4}). */
    default void codeDotx4(float[] weights, byte[] codes, int o0, int o1, int o2, int o3, int dims, float[] out) {
        out[0] = codeDot(weights, codes, o0, dims);
        out[1] = codeDot(weights, codes, o1, dims);
        out[2] = codeDot(weights, codes, o2, dims);
        out[3] = codeDot(weights, codes, o3, dims);
    }

    /**
     * {@link #squaredL2(float[], float[], int, int)} with the vector lanes summed in any order (a
     * reduction tree instead of lane by lane): for graph scores, which rank and need no pgvector
     * bits. The in-order lane sum is a chain of dependent adds that cost a seventh of a 784-dimension
     * distance while links were built (JFR).
     */
    default float squaredL2AnyOrder(float[] q, float[] data, int offset, int dims) {
        return squaredL2(q, data, offset, dims);
    }

    /** {@link #dotProduct(float[], float[], int, int)} with the lanes summed in any order (see {@link #squaredL2AnyOrder}). */
    default float dotProductAnyOrder(float[] q, float[] data, int offset, int dims) {
        return dotProduct(q, data, offset, dims);
    }

    /**
     * {@link #squaredL2(float[], float[], int, int)} of four rows of {@code data} at once, into
     * {@code out[0..4)}, each bit for bit its single-row value (the same lanes, the same order):
     * the re-score of a search's candidates reads rows scattered in memory, and four rows in one
     * loop keep four streams of loads in flight.
     */
    default void squaredL2x4(float[] q, float[] data, int o0, int o1, int o2, int o3, int dims, float[] out) {
        out[0] = squaredL2(q, data, o0, dims);
        out[1] = squaredL2(q, data, o1, dims);
        out[2] = squaredL2(q, data, o2, dims);
        out[3] = squaredL2(q, data, o3, dims);
    }

    /**
     * Σ weights[k]·c_k over {@code blocks} blocks of {@link NibbleQuantizer} 4-bit codes at
     * {@code codes[offset..)}: block {@code b} is 16 bytes, byte {@code j} holding component
     * {@code 32b+j} in its low nibble and {@code 32b+16+j} in its high one; {@code weights} has
     * {@code 32·blocks} entries. Approximate, any order.
     */
    default float nibbleDot(float[] weights, byte[] codes, int offset, int blocks) {
        return ScalarVectorDistance.nibbleDotInOrder(weights, codes, offset, blocks);
    }

    /**
     * {@link #nibbleDot} of four code rows at once, into {@code out[0..4)}, each bit for bit its
     * single-row value (see {@link #codeSquaredL2x4} for why four).
     */
    default void nibbleDotx4(float[] weights, byte[] codes, int o0, int o1, int o2, int o3, int blocks, float[] out) {
        out[0] = nibbleDot(weights, codes, o0, blocks);
        out[1] = nibbleDot(weights, codes, o1, blocks);
        out[2] = nibbleDot(weights, codes, o2, blocks);
        out[3] = nibbleDot(weights, codes, o3, blocks);
    }

    /** Short name for logs: {@code scalar} or {@code panama}. */
    String name();

    /** {@link #dotProduct(float[], float[], int, int)} over whole arrays; {@code a.length} is the dimension. */
    default float dotProduct(float[] a, float[] b) {
        return dotProduct(a, b, 0, a.length);
    }

    /** {@link #squaredL2(float[], float[], int, int)} over whole arrays. */
    default float squaredL2(float[] a, float[] b) {
        return squaredL2(a, b, 0, a.length);
    }

    /** {@link #l1(float[], float[], int, int)} over whole arrays. */
    default float l1(float[] a, float[] b) {
        return l1(a, b, 0, a.length);
    }

    /** {@link #cosineSimilarity(float[], float[], int, int)} over whole arrays. */
    default double cosineSimilarity(float[] a, float[] b) {
        return cosineSimilarity(a, b, 0, a.length);
    }
}
