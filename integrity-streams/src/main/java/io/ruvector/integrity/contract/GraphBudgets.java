package io.ruvector.integrity.contract;

import io.ruvector.schemas.IntegrityPolicy;

/**
 * The budgets that turn telemetry into capacities (ARCHITECTURE.md §4): a quantity at its budget
 * drives the capacity it feeds to the floor 0.01. The compact constructor validates, naming the
 * setting; {@link #DEFAULTS} holds the documented defaults.
 *
 * @param lagBudgetRecords        consumer lag of a partition at which it counts as fully behind (10 000)
 * @param lagBudgetMillis         age of the oldest unapplied change, same meaning (30 s); also the
 *                                budget of the CDC slot's commit-to-capture delay
 * @param latencyBudgetMicros     p99 apply or query latency at which a partition/instance is saturated (50 ms)
 * @param standbyLagBudgetRecords standby lag at which a replication link is down (10 000)
 * @param errorRateBudget         failed fraction at which a partition counts as failing (0.05)
 * @param loadSkewBudget          load / mean load at which a partition's health reaches 0 (3.0; health
 *                                starts falling above the mean)
 * @param slotLagBudgetBytes      WAL held by the replication slot at which ingest counts as stuck (1 GiB)
 * @param centroidSkewBudget      size share / ideal share (1/K) at which a centroid's balance reaches 0 (4.0)
 * @param maxCentroids            centroids kept in the graph, the least healthy first (256)
 * @param maxNodes                node budget of the contracted graph; centroids are trimmed to fit (1000)
 */
public record GraphBudgets(long lagBudgetRecords, long lagBudgetMillis, long latencyBudgetMicros,
                           long standbyLagBudgetRecords, double errorRateBudget, double loadSkewBudget,
                           long slotLagBudgetBytes, double centroidSkewBudget, int maxCentroids, int maxNodes) {

    public static final GraphBudgets DEFAULTS = new GraphBudgets(10_000, 30_000, 50_000, 10_000, 0.05, 3.0,
            1L << 30, 4.0, 256, 1000);

    public GraphBudgets {
        positive("lagBudgetRecords", lagBudgetRecords);
        positive("lagBudgetMillis", lagBudgetMillis);
        positive("latencyBudgetMicros", latencyBudgetMicros);
        positive("standbyLagBudgetRecords", standbyLagBudgetRecords);
        positive("slotLagBudgetBytes", slotLagBudgetBytes);
        if (!(errorRateBudget > 0 && errorRateBudget <= 1)) {
            throw new IllegalArgumentException("integrity errorRateBudget must be in (0, 1], was " + errorRateBudget);
        }
        if (!(loadSkewBudget > 1) || Double.isInfinite(loadSkewBudget)) {
            throw new IllegalArgumentException("integrity loadSkewBudget must be a finite ratio > 1, was " + loadSkewBudget);
        }
        if (!(centroidSkewBudget > 1) || Double.isInfinite(centroidSkewBudget)) {
            throw new IllegalArgumentException("integrity centroidSkewBudget must be a finite ratio > 1, was "
                    + centroidSkewBudget);
        }
        if (maxCentroids < 0 || maxCentroids > 256) {
            throw new IllegalArgumentException("integrity maxCentroids must be in [0, 256], was " + maxCentroids);
        }
        if (maxNodes < 2) {
            throw new IllegalArgumentException("integrity maxNodes must be >= 2, was " + maxNodes);
        }
    }

    /** These budgets with the non-null budget fields of {@code policy} in their place. */
    public GraphBudgets withOverrides(IntegrityPolicy policy) {
        if (policy == null) {
            return this;
        }
        return new GraphBudgets(
                or(policy.getLagBudgetRecords(), lagBudgetRecords),
                or(policy.getLagBudgetMillis(), lagBudgetMillis),
                or(policy.getLatencyBudgetMicros(), latencyBudgetMicros),
                or(policy.getStandbyLagBudgetRecords(), standbyLagBudgetRecords),
                policy.getErrorRateBudget() != null ? policy.getErrorRateBudget() : errorRateBudget,
                policy.getLoadSkewBudget() != null ? policy.getLoadSkewBudget() : loadSkewBudget,
                slotLagBudgetBytes, centroidSkewBudget, maxCentroids, maxNodes);
    }

    private static long or(Long value, long fallback) {
        return value != null ? value : fallback;
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("integrity " + name + " must be > 0, was " + value);
        }
    }
}
