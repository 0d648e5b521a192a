package io.ruvector.integrity.contract;

import io.ruvector.schemas.CentroidStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *
 * <p>{@link #calibrated} scores the same two terms against the scope's {@link Baseline} instead
 * of perfect balance: the ideal share 1/K becomes the share the centroid (or the centroid of its
 * rank) had in the baseline, and the mean distance becomes its baseline relative distance.
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

    /**
     * Health of every centroid relative to {@code baseline}, by id:
     * <pre>
     *   expected share(c) = max(1/K, baseline share of c's id, baseline share at c's rank)
     *   balance(c) = 1 − max(0, share(c) / expected share(c) − 1) / (centroidSkewBudget − 1)
     *   expected rel(c)   = max(1, same for meanDistance / mean of meanDistances)
     *   spread(c)  = max(0, rel(c) / expected rel(c) − 1)
     * </pre>
     * Why the larger of the id's and the rank's baseline: centroid ids are k-means labels; fixed
     * seeds keep them stable for unchanged data, but new rows can relabel clusters, and a big
     * cluster that merely changed its label must not read as a centroid that tripled. The price:
     * a small centroid that grows into the size of an existing big one is not flagged.
     */
    public static Map<String, Double> calibrated(List<CentroidStats> centroids, Baseline baseline, GraphBudgets budgets) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (centroids.isEmpty()) {
            return out;
        }
        int k = centroids.size();
        double meanDistance = meanDistance(centroids);
        double[] sharesByRank = baseline.sharesByRank();
        double[] relsByRank = baseline.relDistancesByRank();
        List<CentroidStats> byShare = new ArrayList<>(centroids);
        byShare.sort(Comparator.comparingDouble(CentroidStats::getSizeShare).reversed()
                .thenComparing(CentroidStats::getId));
        List<CentroidStats> byRel = new ArrayList<>(centroids);
        byRel.sort(Comparator.comparingDouble(CentroidStats::getMeanDistance).reversed()
                .thenComparing(CentroidStats::getId));
        Map<String, Integer> shareRank = new LinkedHashMap<>();
        Map<String, Integer> relRank = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            shareRank.put(byShare.get(i).getId(), i);
            relRank.put(byRel.get(i).getId(), i);
        }
        for (CentroidStats c : centroids) {
            double expectedShare = Math.max(1.0 / k, Math.max(baseline.shareOf(c.getId()),
                    at(sharesByRank, shareRank.get(c.getId()))));
            double oversize = Math.max(0.0, PartitionHealth.ratio(c.getSizeShare(), expectedShare) - 1.0);
            double balance = PartitionHealth.clamp01(1.0 - oversize / (budgets.centroidSkewBudget() - 1.0));
            double rel = PartitionHealth.ratio(c.getMeanDistance(), meanDistance);
            double expectedRel = Math.max(1.0, Math.max(baseline.relDistanceOf(c.getId()),
                    at(relsByRank, relRank.get(c.getId()))));
            double spread = Math.max(0.0, rel / expectedRel - 1.0);
            out.put(c.getId(), balance / (1.0 + spread));
        }
        return out;
    }

    private static double at(double[] byRank, int rank) {
        return byRank.length == 0 ? 0.0 : byRank[Math.min(rank, byRank.length - 1)];
    }
}
