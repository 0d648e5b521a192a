package io.ruvector.index.kernel;

import io.ruvector.schemas.Metric;
import java.util.Objects;

/**
 * pgvector's distance operators for {@code vector} (float32), to the digit of its arithmetic:
 * {@code <->} {@link L2}, {@code <=>} {@link Cosine}, {@code <#>} {@link NegativeInnerProduct},
 * {@code <+>} {@link L1}. Smaller is closer for every metric. Results are {@code double}, like
 * pgvector's {@code float8}; each record's javadoc names the C function it replicates.
 *
 * <p>This is the checked façade over the bare {@link VectorDistance} kernels: it rejects different
 * dimensions (pgvector: "different vector dimensions") and out-of-range rows, then calls the kernel.
 * Implementations are immutable and thread-safe. Get one from {@link VectorDistances#forMetric}.
 */
public sealed interface DistanceFunction
        permits DistanceFunction.L2, DistanceFunction.Cosine, DistanceFunction.NegativeInnerProduct,
                DistanceFunction.L1 {

    /** The metric this function computes. */
    Metric metric();

    /** The kernels underneath. */
    VectorDistance kernel();

    /** Distance from {@code q} to row {@code data[offset..offset+dims)}; {@code q.length} must equal {@code dims}. */
    double distance(float[] q, float[] data, int offset, int dims);

    /**
     * {@link #distance(float[], float[], int, int)} of four rows at once, into {@code out[0..4)},
     * each bit for bit its single-row value (L2 reads the four rows in one pass; the others one by one).
     */
    default void distance4(float[] q, float[] data, int o0, int o1, int o2, int o3, int dims, double[] out) {
        out[0] = distance(q, data, o0, dims);
        out[1] = distance(q, data, o1, dims);
        out[2] = distance(q, data, o2, dims);
        out[3] = distance(q, data, o3, dims);
    }

    /** Distance between two vectors of the same dimension. */
    default double distance(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("different vector dimensions " + a.length + " and " + b.length);
        }
        return distance(a, b, 0, a.length);
    }

    /** The function for {@code metric} on the given kernels. */
    static DistanceFunction of(Metric metric, VectorDistance kernel) {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(kernel, "kernel");
        return switch (metric) {
            case L2 -> new L2(kernel);
            case COSINE -> new Cosine(kernel);
            case IP -> new NegativeInnerProduct(kernel);
            case L1 -> new L1(kernel);
        };
    }

    private static void checkRow(float[] q, float[] data, int offset, int dims) {
        if (q.length != dims) {
            throw new IllegalArgumentException("different vector dimensions " + q.length + " and " + dims);
        }
        Objects.checkFromIndexSize(offset, dims, data.length);
    }

    /** {@code <->}: pgvector {@code l2_distance} = {@code sqrt((double) VectorL2SquaredDistance(...))}. */
    record L2(VectorDistance kernel) implements DistanceFunction {
        public L2 {
            Objects.requireNonNull(kernel, "kernel");
        }

        @Override
        public Metric metric() {
            return Metric.L2;
        }

        @Override
        public double distance(float[] q, float[] data, int offset, int dims) {
            checkRow(q, data, offset, dims);
            // The squared sum stays float; only the root is taken in double, as in pgvector.
            return Math.sqrt((double) kernel.squaredL2(q, data, offset, dims));
        }

        @Override
        public void distance4(float[] q, float[] data, int o0, int o1, int o2, int o3, int dims, double[] out) {
            checkRow(q, data, o0, dims);
            checkRow(q, data, o1, dims);
            checkRow(q, data, o2, dims);
            checkRow(q, data, o3, dims);
            float[] squared = new float[4];
            kernel.squaredL2x4(q, data, o0, o1, o2, o3, dims, squared);
            for (int i = 0; i < 4; i++) {
                out[i] = Math.sqrt((double) squared[i]);
            }
        }
    }

    /**
     * {@code <=>}: pgvector {@code cosine_distance} = {@code 1.0 - clamp(similarity, -1, 1)}.
     * The clamp absorbs rounding that pushes |similarity| past 1; NaN (a zero vector, or float
     * overflow of the norms) fails both comparisons and comes out as NaN, as in pgvector.
     */
    record Cosine(VectorDistance kernel) implements DistanceFunction {
        public Cosine {
            Objects.requireNonNull(kernel, "kernel");
        }

        @Override
        public Metric metric() {
            return Metric.COSINE;
        }

        @Override
        public double distance(float[] q, float[] data, int offset, int dims) {
            checkRow(q, data, offset, dims);
            double similarity = kernel.cosineSimilarity(q, data, offset, dims);
            if (similarity > 1) {
                similarity = 1.0;
            } else if (similarity < -1) {
                similarity = -1.0;
            }
            return 1.0 - similarity;
        }
    }

    /** {@code <#>}: pgvector {@code vector_negative_inner_product} = {@code (double) -VectorInnerProduct(...)}. */
    record NegativeInnerProduct(VectorDistance kernel) implements DistanceFunction {
        public NegativeInnerProduct {
            Objects.requireNonNull(kernel, "kernel");
        }

        @Override
        public Metric metric() {
            return Metric.IP;
        }

        @Override
        public double distance(float[] q, float[] data, int offset, int dims) {
            checkRow(q, data, offset, dims);
            // Negated in float, then widened: identical to pgvector (negation is exact).
            return -kernel.dotProduct(q, data, offset, dims);
        }
    }

    /** {@code <+>}: pgvector {@code l1_distance} = {@code (double) VectorL1Distance(...)}. */
    record L1(VectorDistance kernel) implements DistanceFunction {
        public L1 {
            Objects.requireNonNull(kernel, "kernel");
        }

        @Override
        public Metric metric() {
            return Metric.L1;
        }

        @Override
        public double distance(float[] q, float[] data, int offset, int dims) {
            checkRow(q, data, offset, dims);
            return kernel.l1(q, data, offset, dims);
        }
    }
}
