package io.ruvector.index.kernel;

import java.util.Arrays;

/**
 * 4-bit scalar quantisation per dimension: component {@code i} is stored as a nibble {@code c}
 * standing for {@code min[i] + c·step[i]}, {@code step[i] = (max[i]−min[i])/15}, fitted on the
 * vectors of one graph. A graph walk is bound by fetching the rows it visits, and a row of nibbles
 * is half the bytes of int8 codes (an eighth of float32). The codes only steer a walk: callers
 * re-score candidates at full precision, so no returned distance depends on them.
 *
 * <p><b>Layout.</b> Components go in blocks of {@value #BLOCK}: block {@code b} is
 * {@value #BLOCK_BYTES} bytes, byte {@code j} holding component {@code 32b+j} in its low nibble
 * and {@code 32b+16+j} in its high one, so one SIMD load of a block's bytes widens into two
 * vectors of consecutive components. A row is padded to whole blocks with zero nibbles (and the
 * query's weights with zeros), so kernels need no tail.
 *
 * <p><b>Scores.</b> Every measure is a dot product of per-query weights with the nibbles plus
 * constants: with {@code x = min + c·step} and {@code q' = q − min},
 * {@code ‖q−x‖² = ‖q'‖² − 2Σ q'_i·step_i·c_i + Σ (step_i·c_i)²} and
 * {@code q·x = q·min + Σ q_i·step_i·c_i}; the one term that depends on the row alone
 * ({@link #rowTerm}) is computed when the row is encoded.
 *
 * <p>Immutable and thread-safe; a {@link Query} serves one search on one thread.
 */
public final class NibbleQuantizer {

    /** Components per block. */
    public static final int BLOCK = 32;
    /** Bytes per block. */
    public static final int BLOCK_BYTES = BLOCK / 2;
    private static final int LEVELS = 15;

    /** What a {@link Query} computes. */
    public enum Measure {
        /** The squared L2 distance; row term Σ (step_i·c_i)². */
        SQUARED_L2,
        /** The dot product; no row term. */
        DOT,
        /** The cosine similarity (NaN for a zero vector); row term ‖x‖². */
        COSINE
    }

    private final float[] min;
    private final float[] step;
    private final int blocks;
    private final VectorDistance kernel;

    private NibbleQuantizer(float[] min, float[] step) {
        this.min = min;
        this.step = step;
        this.blocks = blocks(min.length);
        this.kernel = VectorDistances.get();
    }

    /** Bytes of one row of {@code dims} components. */
    public static int rowBytes(int dims) {
        return blocks(dims) * BLOCK_BYTES;
    }

    private static int blocks(int dims) {
        return (dims + BLOCK - 1) / BLOCK;
    }

    /**
     * Fitted on {@code rows} rows of {@code dims} components read from {@code matrix} at the
     * offsets {@code offsets[0..rows)}: each component's range is the rows' min to max.
     *
     * @throws IllegalArgumentException when there is no row to fit on
     */
    public static NibbleQuantizer fit(float[] matrix, int[] offsets, int rows, int dims) {
        ComponentRange range = ComponentRange.of(matrix, offsets, rows, dims);
        return new NibbleQuantizer(range.min(), range.steps(LEVELS));
    }

    public int dims() {
        return min.length;
    }

    /** What the fit found, to persist it; {@link #of} builds this quantiser again from it. */
    public QuantizerRange range() {
        return new QuantizerRange(min, step);
    }

    /** The quantiser whose {@link #range()} this is (read back from a graph snapshot). */
    public static NibbleQuantizer of(QuantizerRange range) {
        return new NibbleQuantizer(range.minimums(), range.steps());
    }

    /**
     * Writes the codes of {@code src[srcOffset..+dims)} to {@code dst[dstOffset..+rowBytes)};
     * returns how many components lay outside the fitted range by more than half a step and were
     * clamped.
     */
    public int encode(float[] src, int srcOffset, byte[] dst, int dstOffset) {
        Arrays.fill(dst, dstOffset, dstOffset + blocks * BLOCK_BYTES, (byte) 0);
        int clamped = 0;
        for (int i = 0; i < min.length; i++) {
            float s = step[i];
            int code = s > 0 ? Math.round((src[srcOffset + i] - min[i]) / s) : 0;
            if (code < 0 || code > LEVELS) {
                clamped++;
            }
            code = Math.max(0, Math.min(LEVELS, code)); // NaN rounds to 0
            int at = dstOffset + byteOf(i);
            dst[at] = (byte) (dst[at] | (isHigh(i) ? code << 4 : code));
        }
        return clamped;
    }

    /** The nibble of component {@code i} of the row at {@code codes[offset..)}. */
    public static int code(byte[] codes, int offset, int i) {
        int v = codes[offset + byteOf(i)];
        return isHigh(i) ? (v >> 4) & 0xF : v & 0xF;
    }

    private static int byteOf(int i) {
        return i / BLOCK * BLOCK_BYTES + i % BLOCK_BYTES;
    }

    private static boolean isHigh(int i) {
        return i % BLOCK >= BLOCK_BYTES;
    }

    /** Writes the approximate vector of the row at {@code codes[offset..)} to {@code dst[dstOffset..+dims)}. */
    public void decode(byte[] codes, int offset, float[] dst, int dstOffset) {
        for (int i = 0; i < min.length; i++) {
            dst[dstOffset + i] = min[i] + code(codes, offset, i) * step[i];
        }
    }

    /** The term of {@code measure} that depends on the row at {@code codes[offset..)} alone (0 for DOT). */
    public float rowTerm(Measure measure, byte[] codes, int offset) {
        float sum = 0f;
        for (int i = 0; i < min.length; i++) {
            float part = code(codes, offset, i) * step[i];
            switch (measure) {
                case SQUARED_L2 -> sum += part * part;
                case COSINE -> sum += (min[i] + part) * (min[i] + part);
                case DOT -> {
                    return 0f;
                }
            }
        }
        return sum;
    }

    /** The precomputed weights of {@code query} for {@code measure} (the query is not kept). */
    public Query query(float[] query, Measure measure) {
        return new Query(query, measure);
    }

    /** One query against many code rows; each score takes the row's {@link #rowTerm}. */
    public final class Query {

        private final Measure measure;
        private final float[] weights;
        private final float constant;
        private final float queryNormSquared;
        private final float[] dots = new float[4];

        private Query(float[] q, Measure measure) {
            this.measure = measure;
            weights = new float[blocks * BLOCK];
            float sum = 0f;
            float norm = 0f;
            for (int i = 0; i < min.length; i++) {
                norm += q[i] * q[i];
                if (measure == Measure.SQUARED_L2) {
                    float centred = q[i] - min[i];
                    weights[i] = -2f * centred * step[i];
                    sum += centred * centred;
                } else {
                    weights[i] = q[i] * step[i];
                    sum += q[i] * min[i];
                }
            }
            constant = sum;
            queryNormSquared = norm;
        }

        /** The measure of the row at {@code codes[offset..)} whose row term is {@code rowTerm}. */
        public double value(byte[] codes, int offset, float rowTerm) {
            return finish(kernel.nibbleDot(weights, codes, offset, blocks), rowTerm);
        }

        /** {@link #value} of the four rows at {@code o0..o3} with row terms {@code t0..t3}, into {@code out}, bit for bit. */
        public void value4(byte[] codes, int o0, int o1, int o2, int o3, float t0, float t1, float t2, float t3,
                           double[] out) {
            kernel.nibbleDotx4(weights, codes, o0, o1, o2, o3, blocks, dots);
            out[0] = finish(dots[0], t0);
            out[1] = finish(dots[1], t1);
            out[2] = finish(dots[2], t2);
            out[3] = finish(dots[3], t3);
        }

        private double finish(float dot, float rowTerm) {
            return switch (measure) {
                // the expansion can dip below zero by rounding where the true distance is ~0
                case SQUARED_L2 -> Math.max(0f, constant + dot + rowTerm);
                case DOT -> constant + dot;
                case COSINE -> (constant + dot) / Math.sqrt((double) queryNormSquared * rowTerm);
            };
        }
    }
}
