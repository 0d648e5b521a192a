package io.ruvector.index.telemetry;

import io.ruvector.schemas.CentroidStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A collection's sampled vectors as integrity centroids: how the sample is split over the local
 * partitions ({@link #quotas}) and what k-means over it says ({@link #of}). Pure.
 */
final class CentroidSummary {

    /** k-means starts per refresh; the clustering with the lowest inertia is reported. */
    static final int RESTARTS = 3;
    /**
     * A followed fit whose inertia is more than this many times a fresh fit's is stuck and is
     * replaced by the fresh one. Measured in CentroidSummaryTest's cases: a followed fit of 20
     * clusters under k = 16 had 0.95 × the fresh fit's inertia (and keeps its ids), a fit stuck with
     * one centroid over two of 16 well-separated clusters 10.4 ×.
     */
    static final double STUCK_INERTIA_RATIO = 2.0;

    private CentroidSummary() {
    }

    /**
     * How many vectors to sample from each partition so that {@code reservoir} vectors in all are
     * spread in proportion to the partitions' live rows (largest remainder, ties to the lower
     * partition), i.e. a proportionally stratified sample. Every row when there are no more than
     * {@code reservoir}.
     */
    static Map<Integer, Integer> quotas(Map<Integer, Integer> liveRows, int reservoir) {
        long total = 0;
        for (int rows : liveRows.values()) {
            total += rows;
        }
        Map<Integer, Integer> quotas = new TreeMap<>();
        if (total <= reservoir) {
            liveRows.forEach((partition, rows) -> quotas.put(partition, rows));
            return quotas;
        }
        int given = 0;
        Map<Integer, Long> remainders = new TreeMap<>();
        for (Map.Entry<Integer, Integer> e : new TreeMap<>(liveRows).entrySet()) {
            long share = (long) reservoir * e.getValue();
            quotas.put(e.getKey(), (int) (share / total));
            remainders.put(e.getKey(), share % total);
            given += (int) (share / total);
        }
        List<Integer> byRemainder = new ArrayList<>(remainders.keySet());
        byRemainder.sort((a, b) -> Long.compare(remainders.get(b), remainders.get(a))); // stable: lower partition first
        for (int i = 0; given < reservoir; i++, given++) {
            quotas.merge(byRemainder.get(i), 1, Integer::sum);
        }
        return quotas;
    }

    /**
     * Centroids of {@code samples} (vectors per partition): k-means with {@code k} centroids (none
     * when {@code k < 1} or there is no vector). Vectors whose dimension differs from the lowest
     * partition's first vector are left out (a collection has one dimension; a partition that
     * disagrees is already failing its applies). Ids are {@code c0, c1, …} in k-means++ seeding
     * order; a centroid left without members is not reported, so the shares sum to 1.
     */
    static List<CentroidStats> of(Map<Integer, List<float[]>> samples, int k, int iterations, long seed) {
        return fit(samples, k, iterations, seed, null).stats();
    }

    /**
     * Centroids as reported, and where they are (index {@code c} is centroid {@code "c" + c}), to
     * start the next fit from.
     */
    record Fit(List<CentroidStats> stats, float[][] positions) {
        static final Fit NONE = new Fit(List.of(), null);
    }

    /**
     * Like {@link #of}, but started from {@code previous} positions when there are k of them of the
     * samples' dimension (a tracked clustering keeps its ids and shape while the data does, where
     * a fresh k-means++ over a new sample may merge and split other clusters every time); from a
     * fresh seeding otherwise.
     */
    static Fit fit(Map<Integer, List<float[]>> samples, int k, int iterations, long seed, float[][] previous) {
        List<float[]> points = new ArrayList<>();
        List<Integer> partitionOf = new ArrayList<>();
        int dims = -1;
        for (Map.Entry<Integer, List<float[]>> e : new TreeMap<>(samples).entrySet()) {
            for (float[] vector : e.getValue()) {
                dims = dims < 0 ? vector.length : dims;
                if (vector.length == dims) {
                    points.add(vector);
                    partitionOf.add(e.getKey());
                }
            }
        }
        int clusters = Math.min(k, points.size());
        if (clusters < 1) {
            return Fit.NONE;
        }
        float[][] matrix = points.toArray(float[][]::new);
        boolean follow = previous != null && previous.length == clusters && previous[0].length == dims;
        KMeans.Clustering fit = KMeans.bestOf(RESTARTS, matrix, clusters, iterations, seed);
        if (follow) {
            KMeans.Clustering followed = KMeans.fitFrom(matrix, previous, iterations);
            // Lloyd's iterations never leave a local minimum: positions that once fitted other data
            // (a rolled-back rebuild re-installs them) can keep one centroid over two clusters and
            // two over one for good, and that centroid reads as skewed while the data is healthy
            if (followed.inertia() <= STUCK_INERTIA_RATIO * fit.inertia()) {
                fit = followed;
            }
        }
        int[] members = new int[clusters];
        double[] distanceSums = new double[clusters];
        List<TreeSet<Integer>> partitions = new ArrayList<>(clusters);
        for (int c = 0; c < clusters; c++) {
            partitions.add(new TreeSet<>());
        }
        for (int i = 0; i < points.size(); i++) {
            int c = fit.assignment()[i];
            members[c]++;
            distanceSums[c] += Math.sqrt(fit.squaredDistance()[i]);
            partitions.get(c).add(partitionOf.get(i));
        }
        List<CentroidStats> centroids = new ArrayList<>(clusters);
        for (int c = 0; c < clusters; c++) {
            if (members[c] > 0) {
                centroids.add(new CentroidStats("c" + c, (double) members[c] / points.size(),
                        distanceSums[c] / members[c], List.copyOf(partitions.get(c))));
            }
        }
        return new Fit(centroids, fit.centroids());
    }
}
