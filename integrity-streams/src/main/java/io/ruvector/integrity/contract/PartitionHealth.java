package io.ruvector.integrity.contract;

import io.ruvector.schemas.PartitionStats;
import java.util.Collection;

/**
 * Health of one partition in [0, 1]: one minus the largest share of a budget it uses,
 * <pre>
 *   h(p) = 1 − max(lag, latency, errors, skew)   (latency above half its budget, see latencyShare)
 *   lag     = max(lagRecords / lagBudgetRecords, lagMillis / lagBudgetMillis)
 *   latency = max(applyP99, queryP99) / latencyBudgetMicros
 *   errors  = errorRate / errorRateBudget
 *   skew    = max(0, load / mean load − 1) / (loadSkewBudget − 1)
 *   load / mean load = max(vectorCount / mean vectorCount / expected row load,
 *                          appliedPerSecond / max(mean appliedPerSecond, 10/s))
 * </pre>
 * (a mean of 0 contributes no skew). So a partition at its mean load with no lag, slow
 * answers or errors has health 1, and any one quantity at its budget takes it to 0 (the graph
 * clamps capacities to 0.01). Why lag and latency are in the health too, not only in the
 * routing and shard links: the complete partition-link graph gives every partition P − 1
 * links, so a partition whose only weak edge were its routing link could never be cut off;
 * with lag in its health, all of a lagging partition's links weaken together.
 *
 * @param health the value h(p), clamped to [0, 1]
 * @param lag    lag share of its budget (unclamped)
 * @param latency latency share of its budget (unclamped)
 * @param errors error-rate share of its budget (unclamped)
 * @param skew   excess-load share of its budget (unclamped, ≥ 0)
 */
public record PartitionHealth(double health, double lag, double latency, double errors, double skew) {

    /** Means of the load measures over the partitions of one graph. */
    public record LoadMeans(double vectorCount, double appliedPerSecond) {

        public static LoadMeans of(Collection<PartitionStats> partitions) {
            double vectors = 0;
            double applied = 0;
            for (PartitionStats p : partitions) {
                vectors += p.getVectorCount();
                applied += p.getAppliedPerSecond();
            }
            int n = Math.max(1, partitions.size());
            return new LoadMeans(vectors / n, applied / n);
        }
    }

    /**
     * Apply rates below this many changes per second are not load: a trickle of a few writes a
     * window landing on one partition would otherwise read as many times the mean.
     */
    public static final double MIN_SKEW_RATE_PER_SECOND = 10.0;

    public static PartitionHealth of(PartitionStats p, LoadMeans means, GraphBudgets budgets) {
        return of(p, means, budgets, 1.0);
    }

    /**
     * @param expectedRowLoad vectorCount / mean that is normal for this partition (its
     *                        {@link Baseline}; ≥ 1): rows are skewed only beyond it, so an uneven but
     *                        stable distribution is not a fault, while the apply rate, the load that
     *                        comes and goes, stays relative to the mean
     */
    public static PartitionHealth of(PartitionStats p, LoadMeans means, GraphBudgets budgets, double expectedRowLoad) {
        return of(p, means, budgets, expectedRowLoad, false);
    }

    /**
     * @param loading true while the scope is in its initial load ({@link Baseline#isLoading()}): what
     *                the load itself drives — lag, apply/query latency, apply-rate skew — is not
     *                scored then; errors and the row distribution are
     */
    public static PartitionHealth of(PartitionStats p, LoadMeans means, GraphBudgets budgets, double expectedRowLoad,
                                     boolean loading) {
        double lag = loading ? 0.0 : Math.max(ratio(p.getLagRecords(), budgets.lagBudgetRecords()),
                ratio(p.getLagMillis(), budgets.lagBudgetMillis()));
        double latency = loading ? 0.0
                : latencyShare(Math.max(p.getApplyP99Micros(), p.getQueryP99Micros()), budgets.latencyBudgetMicros());
        double errors = ratio(p.getErrorRate(), budgets.errorRateBudget());
        double rows = ratio(p.getVectorCount(), means.vectorCount()) / Math.max(1.0, expectedRowLoad);
        double rate = loading || p.getAppliedPerSecond() < MIN_SKEW_RATE_PER_SECOND ? 0.0
                : ratio(p.getAppliedPerSecond(), Math.max(means.appliedPerSecond(), MIN_SKEW_RATE_PER_SECOND));
        double load = Math.max(rows, rate);
        double skew = Math.max(0.0, load - 1.0) / (budgets.loadSkewBudget() - 1.0);
        double worst = Math.max(Math.max(lag, latency), Math.max(errors, skew));
        return new PartitionHealth(clamp01(1.0 - worst), lag, latency, errors, skew);
    }

    /**
     * Share of the latency budget used up, counting only the part above {@link #LATENCY_HEADROOM}
     * of it: latency, unlike lag, is never 0 — applying and searching take time — so a p99 within
     * half the budget is normal work, and from there the share rises linearly to 1 at the budget.
     * Scored linearly from 0, a p99 of 11 ms against 50 ms already read as stress.
     */
    public static double latencyShare(double p99Micros, double budgetMicros) {
        return Math.max(0.0, ratio(p99Micros, budgetMicros) - LATENCY_HEADROOM) / (1.0 - LATENCY_HEADROOM);
    }

    /** Fraction of the latency budget that is normal work (see {@link #latencyShare}). */
    public static final double LATENCY_HEADROOM = 0.5;

    /** {@code value / budget}, 0 for a budget (or mean) of 0 and for negative or NaN telemetry. */
    static double ratio(double value, double budget) {
        if (!(budget > 0) || !(value > 0)) {
            return 0.0;
        }
        return value / budget;
    }

    static double clamp01(double x) {
        return Math.max(0.0, Math.min(1.0, x));
    }
}
