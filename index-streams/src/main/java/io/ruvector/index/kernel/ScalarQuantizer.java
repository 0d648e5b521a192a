package io.ruvector.index.kernel;


/**
 * Int8 scalar quantisation per dimension: component {@code i} is stored as an unsigned byte
 * {@code c} standing for {@code min[i] + c·step[i]}, with {@code step[i] = (max[i]−min[i])/255}
 * fitted on the vectors of one collection. A vector then costs {@code dims} bytes, a quarter of
 * its float32 form; values outside the fitted range are clamped. The codes only steer a graph
 * walk: callers re-score the candidates at full precision, so every returned distance stays
 * pgvector's.
 *
 * <p>Immutable and thread-safe; a {@link Query} holds one query's precomputed terms and scratch, for one thread.
 */
public final class ScalarQuantizer {

    private static final int LEVELS = 255;

    private final float[] min;
    private final float[] step;
    /** −min: the "centred query" whose squared L2 to a code row is that row's squared norm (cosine). */
    private final float[] negatedMin;
    private final VectorDistance kernel;
    /** What one unit of an {@link #errorCode} stands for; see there. */
    private final double errorUnit;

    private ScalarQuantizer(float[] min, float[] step) {
        this.min = min;
        this.step = step;
        double halfSteps = 0;
        for (float s : step) {
            halfSteps += (s / 2.0) * (s / 2.0);
        }
        // a row inside the range is within ‖step/2‖ of its codes, give or take float rounding
        this.errorUnit = Math.max(Math.sqrt(halfSteps) * 1.25 / ERROR_CODE_UNBOUNDED, Double.MIN_NORMAL);
        this.negatedMin = new float[min.length];
        for (int i = 0; i < min.length; i++) {
            negatedMin[i] = -min[i];
        }
        this.kernel = VectorDistances.get();
    }

    /**
     * Fitted on {@code rows} rows of {@code dims} components read from {@code matrix} at the
     * offsets {@code offsets[0..rows)}.
     *
     * @throws IllegalArgumentException when there is no row to fit on
     */
    public static ScalarQuantizer fit(float[] matrix, int[] offsets, int rows, int dims) {
        ComponentRange range = ComponentRange.of(matrix, offsets, rows, dims);
        return new ScalarQuantizer(range.min(), range.steps(LEVELS));
    }

    public int dims() {
        return min.length;
    }

    /** What the fit found, to persist it; {@link #of} builds this quantiser again from it. */
    public QuantizerRange range() {
        return new QuantizerRange(min, step);
    }

    /** The quantiser whose {@link #range()} this is (read back from a graph snapshot). */
    public static ScalarQuantizer of(QuantizerRange range) {
        return new ScalarQuantizer(range.minimums(), range.steps());
    }

    /**
     * Writes the codes of {@code src[srcOffset..+dims)} to {@code dst[dstOffset..+dims)}; returns
     * how many components lay outside the fitted range by more than half a step and were clamped.
     */
    public int encode(float[] src, int srcOffset, byte[] dst, int dstOffset) {
        int clamped = 0;
        for (int i = 0; i < min.length; i++) {
            float s = step[i];
            int code = s > 0 ? Math.round((src[srcOffset + i] - min[i]) / s) : 0;
            if (code < 0 || code > LEVELS) {
                clamped++;
            }
            dst[dstOffset + i] = (byte) Math.max(0, Math.min(LEVELS, code)); // NaN rounds to 0
        }
        return clamped;
    }

    /** {@link #errorCode} of a row whose distance to its codes is not bounded here (it was clamped): read it. */
    public static final int ERROR_CODE_UNBOUNDED = 255;

    /**
     * One byte that bounds how far {@code src[srcOffset..+dims)} lies from its codes at
     * {@code codes[codeOffset..+dims)} (as {@link #decode} writes them), for {@link #errorBound}:
     * {@code ‖x − x̂‖₂} in units of a 254th of a little more than the largest error of a row inside
     * the fitted range, rounded up; {@value #ERROR_CODE_UNBOUNDED} when the row lies further (clamped
     * components). {@code scratch} holds {@code dims} floats.
     */
    public int errorCode(float[] src, int srcOffset, byte[] codes, int codeOffset, float[] scratch) {
        decode(codes, codeOffset, scratch, 0);
        double sum = 0;
        for (int i = 0; i < min.length; i++) {
            double d = (double) src[srcOffset + i] - scratch[i];
            sum += d * d;
        }
        double error = Math.sqrt(sum);
        double units = Math.ceil(error / errorUnit);
        if (!(units < ERROR_CODE_UNBOUNDED)) { // also NaN
            return ERROR_CODE_UNBOUNDED;
        }
        int code = (int) units;
        return code * errorUnit >= error ? code : code + 1; // a division rounded down must not shrink the bound
    }

    /** The upper bound of {@code ‖x − x̂‖₂} an {@link #errorCode} stands for; +∞ for {@value #ERROR_CODE_UNBOUNDED}. */
    public double errorBound(int errorCode) {
        return errorCode >= ERROR_CODE_UNBOUNDED ? Double.POSITIVE_INFINITY : errorCode * errorUnit;
    }

    /** Writes the approximate vector of the codes at {@code src[srcOffset..+dims)} to {@code dst[dstOffset..+dims)}. */
    public void decode(byte[] src, int srcOffset, float[] dst, int dstOffset) {
        kernel.decodeCodes(min, step, src, srcOffset, dst, dstOffset, min.length);
    }

    /** The precomputed terms of {@code query} (not copied; the caller must not change it meanwhile). */
    public Query query(float[] query) {
        return new Query(query);
    }

    /**
     * One query against many code rows. With {@code x = min + c·step}:
     * {@code q·x = q·min + Σ (q_i·step_i)·c_i} and {@code ‖q−x‖² = Σ ((q_i−min_i) − c_i·step_i)²}.
     */
    public final class Query {

        private final float[] centred;
        private final float[] weights;
        private final float queryDotMin;
        private final float queryNormSquared;
        /** Scratch of {@link #cosineSimilarityx4} (a query serves one search on one thread). */
        private final float[] dots = new float[4];
        private final float[] norms = new float[4];

        private Query(float[] q) {
            int dims = min.length;
            centred = new float[dims];
            weights = new float[dims];
            float dotMin = 0f;
            float norm = 0f;
            for (int i = 0; i < dims; i++) {
                centred[i] = q[i] - min[i];
                weights[i] = q[i] * step[i];
                dotMin += q[i] * min[i];
                norm += q[i] * q[i];
            }
            queryDotMin = dotMin;
            queryNormSquared = norm;
        }

        /** Approximate squared L2 distance to the row of codes at {@code offset}. */
        public float squaredL2(byte[] codes, int offset) {
            return kernel.codeSquaredL2(centred, step, codes, offset, centred.length);
        }

        /** Approximate dot product with the row of codes at {@code offset}. */
        public float dotProduct(byte[] codes, int offset) {
            return queryDotMin + kernel.codeDot(weights, codes, offset, weights.length);
        }

        /**
         * Approximate cosine similarity with the row of codes at {@code offset}; NaN for a zero
         * vector. The row's squared norm is its squared distance from the point whose centred form
         * is −min, i.e. the origin.
         */
        public double cosineSimilarity(byte[] codes, int offset) {
            float dot = dotProduct(codes, offset);
            float norm = kernel.codeSquaredL2(negatedMin, step, codes, offset, negatedMin.length);
            return dot / Math.sqrt((double) queryNormSquared * norm);
        }

        /** {@link #squaredL2} of the four rows at {@code o0..o3}, into {@code out[0..4)}. */
        public void squaredL2x4(byte[] codes, int o0, int o1, int o2, int o3, float[] out) {
            kernel.codeSquaredL2x4(centred, step, codes, o0, o1, o2, o3, centred.length, out);
        }

        /** {@link #dotProduct} of the four rows at {@code o0..o3}, into {@code out[0..4)}. */
        public void dotProductx4(byte[] codes, int o0, int o1, int o2, int o3, float[] out) {
            kernel.codeDotx4(weights, codes, o0, o1, o2, o3, weights.length, out);
            for (int i = 0; i < 4; i++) {
                out[i] += queryDotMin;
            }
        }

        /** {@link #cosineSimilarity} of the four rows at {@code o0..o3}, into {@code out[0..4)}, bit for bit (NaN for a zero row). */
        public void cosineSimilarityx4(byte[] codes, int o0, int o1, int o2, int o3, double[] out) {
            dotProductx4(codes, o0, o1, o2, o3, dots);
            kernel.codeSquaredL2x4(negatedMin, step, codes, o0, o1, o2, o3, negatedMin.length, norms);
            for (int i = 0; i < 4; i++) {
                out[i] = dots[i] / Math.sqrt((double) queryNormSquared * norms[i]);
            }
        }
    }
}
