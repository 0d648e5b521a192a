package io.ruvector.integrity.contract;

import io.ruvector.schemas.CentroidStats;
import java.util.List;

/**
 * Health of one centroid, the capacity of its {@code centroid_route} edges:
 * <pre>
 *   health(c)  = balance(c) × 1 / (1 + spread(c))
 *   balance(c) = 1 − max(0, share(c) · K − 1) / (centroidSkewBudget − 1), clamped to [0, 1]
 *   spread(c)  = max(0, meanDistance(c) / mean over centroids of meanDistance − 1)
 * </pre>
 * with K the number of centroids (ideal share 1/K). Only an oversized centroid loses balance: an
 * undersized list costs the index nothing, while an oversized one makes every query routed to it
 * scan more. The spread is normalised by the mean so that a typical centroid has spread 0 and
 * health 1 whatever the metric's scale; one twice as loose as the mean has health ≤ 1/2.
 */
public final class CentroidHealth {

    private CentroidHealth() {
    }

    /** Mean of {@code meanDistance} over {@code centroids}, 0 for none. */
    public static double meanDistance(List<CentroidStats> centroids) {
        double sum = 0;
        for (CentroidStats c : centroids) {
            sum += Math.max(0.0, c.getMeanDistance());
        }
        return centroids.isEmpty() ? 0.0 : sum / centroids.size();
    }

    public static double of(CentroidStats c, int centroidCount, double meanOfMeanDistances, GraphBudgets budgets) {
        double oversize = Math.max(0.0, c.getSizeShare() * centroidCount - 1.0);
        double balance = PartitionHealth.clamp01(1.0 - oversize / (budgets.centroidSkewBudget() - 1.0));
        // ratio() is 0 when the mean is 0, so a metric without distances adds no spread.
        double spread = Math.max(0.0, PartitionHealth.ratio(c.getMeanDistance(), meanOfMeanDistances) - 1.0);
        return balance / (1.0 + spread);
    }
}
