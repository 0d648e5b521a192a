package io.ruvector.healing.classify;

/**
 * Thresholds of the {@link ProblemClassifier} (ARCHITECTURE.md §5 defaults). The compact
 * constructor validates and names the offending field.
 *
 * @param hotspotPartitionLinks      hotspot when more {@code partition_link} witness edges than this (3)
 * @param skewCentroidNodes          centroid skew when more distinct centroid nodes among witness endpoints (5)
 * @param maintenanceDependencyEdges maintenance contention when more {@code dependency} witness edges (2)
 * @param memoryBudgetFraction       memory pressure when the index uses more than this share of the budget (0.85)
 * @param memoryBudgetBytes          the memory budget; 0 = unknown, use this JVM's max heap (right when the
 *                                   index runs in the same process, as in the all-in-one runtime)
 * @param fragmentationFraction      fragmentation when a partition's deleted fraction exceeds this (0.30)
 * @param lagBudgetFraction          a partition behind a routing witness edge is a backlog when its lag exceeds
 *                                   this share of the scope's lag budget (1.0)
 */
public record ClassifierSettings(int hotspotPartitionLinks, int skewCentroidNodes, int maintenanceDependencyEdges,
                                 double memoryBudgetFraction, long memoryBudgetBytes, double fragmentationFraction,
                                 double lagBudgetFraction) {

    public static final ClassifierSettings DEFAULTS = new ClassifierSettings(3, 5, 2, 0.85, 0, 0.30, 1.0);

    public ClassifierSettings {
        check(hotspotPartitionLinks >= 0, "hotspotPartitionLinks", "must be >= 0, was " + hotspotPartitionLinks);
        check(skewCentroidNodes >= 0, "skewCentroidNodes", "must be >= 0, was " + skewCentroidNodes);
        check(maintenanceDependencyEdges >= 0, "maintenanceDependencyEdges",
                "must be >= 0, was " + maintenanceDependencyEdges);
        // Negated comparisons so that NaN fails too.
        check(memoryBudgetFraction > 0 && memoryBudgetFraction <= 1, "memoryBudgetFraction",
                "must be in (0, 1], was " + memoryBudgetFraction);
        check(memoryBudgetBytes >= 0, "memoryBudgetBytes", "must be >= 0 (0 = the JVM's max memory), was "
                + memoryBudgetBytes);
        check(fragmentationFraction >= 0 && fragmentationFraction < 1, "fragmentationFraction",
                "must be in [0, 1), was " + fragmentationFraction);
        check(lagBudgetFraction > 0 && Double.isFinite(lagBudgetFraction), "lagBudgetFraction",
                "must be a positive number, was " + lagBudgetFraction);
    }

    private static void check(boolean ok, String field, String message) {
        if (!ok) {
            throw new IllegalArgumentException(field + " " + message);
        }
    }
}
