package io.ruvector.index.kernel;

import io.ruvector.schemas.Metric;
import java.util.Objects;

/**
 * How small pgvector's distance from one query to a vector {@code x} can be, knowing only its
 * distance to an approximation {@code x̂} (decoded codes) and an upper bound {@code e} of
 * {@code ‖x − x̂‖₂}: a row whose lower bound is worse than the k-th distance found so far cannot
 * be in the top k, so its full-precision vector need not be read. Per metric:
 * <ul>
 *   <li>L2: {@code |d(q,x) − d(q,x̂)| ≤ e} (triangle inequality);</li>
 *   <li>L1: {@code ≤ Σ|x_i − x̂_i| ≤ √dims · e};</li>
 *   <li>negative inner product: {@code |q·x − q·x̂| ≤ ‖q‖ · e};</li>
 *   <li>cosine: the unit vectors differ by at most {@code 2e/‖x̂‖}, and so do the similarities.</li>
 * </ul>
 * Both distances are computed in float, so each bound also gives up a rounding allowance of
 * {@code (dims + 8) · 2⁻²³} of the magnitudes summed: twice the worst case of a sequential float
 * sum, for the two computations. A non-finite bound (overflow, a zero vector, NaN) is −∞: read the
 * row. Immutable; one per query.
 */
public final class DistanceBound {

    private final Metric metric;
    private final double queryNorm;
    private final double rounding;
    private final double sqrtDims;

    private DistanceBound(Metric metric, double queryNorm, int dims) {
        this.metric = metric;
        this.queryNorm = queryNorm;
        this.rounding = (dims + 8) * 0x1p-23;
        this.sqrtDims = Math.sqrt(dims);
    }

    /** The bound for {@code query} under {@code metric}. */
    public static DistanceBound of(Metric metric, float[] query) {
        Objects.requireNonNull(metric, "metric");
        return new DistanceBound(metric, norm(query, 0, query.length), query.length);
    }

    /** Whether {@link #lower} reads {@code approxNorm} (inner product and cosine); L2 and L1 take any value. */
    public boolean needsNorm() {
        return metric == Metric.IP || metric == Metric.COSINE;
    }

    /**
     * The least distance the query can have to {@code x}, given its distance {@code approx} to
     * {@code x̂} (as {@link DistanceFunction} computes it), {@code error ≥ ‖x − x̂‖₂} and
     * {@code approxNorm = ‖x̂‖₂} (only where {@link #needsNorm}).
     */
    public double lower(double approx, double error, double approxNorm) {
        double bound = switch (metric) {
            case L2 -> approx - error - rounding * (approx + error);
            case L1 -> approx - sqrtDims * error - rounding * (approx + sqrtDims * error);
            case IP -> approx - queryNorm * error - rounding * queryNorm * (approxNorm + error);
            case COSINE -> approx - 2 * error / approxNorm - 3 * rounding;
        };
        return Double.isFinite(bound) ? bound : Double.NEGATIVE_INFINITY;
    }

    /** {@code ‖v[offset..offset+dims)‖₂}, in double. */
    public static double norm(float[] v, int offset, int dims) {
        double sum = 0;
        for (int i = 0; i < dims; i++) {
            double c = v[offset + i];
            sum += c * c;
        }
        return Math.sqrt(sum);
    }
}
