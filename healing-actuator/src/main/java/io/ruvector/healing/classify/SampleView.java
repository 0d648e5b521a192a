package io.ruvector.healing.classify;

import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.EffectiveIntegrityPolicy;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.MaintenanceJobStats;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.StandbyStats;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The index side of one scope's latest samples, merged: one {@link PartitionStats} per partition,
 * the freshest centroid set, the running maintenance jobs. Load and lag are measured the way the
 * integrity graph measures them (integrity-streams {@code PartitionHealth}), so that the numbers
 * the classifier reports explain the cut it was given.
 */
final class SampleView {

    private final Map<Integer, PartitionStats> partitions;
    private final List<CentroidStats> centroids;
    private final int runningJobs;
    private final double meanVectorCount;
    private final double meanAppliedPerSecond;

    private SampleView(Map<Integer, PartitionStats> partitions, List<CentroidStats> centroids, int runningJobs) {
        this.partitions = partitions;
        this.centroids = centroids;
        this.runningJobs = runningJobs;
        double vectors = 0;
        double applied = 0;
        for (PartitionStats p : partitions.values()) {
            vectors += p.getVectorCount();
            applied += p.getAppliedPerSecond();
        }
        int n = Math.max(1, partitions.size());
        this.meanVectorCount = vectors / n;
        this.meanAppliedPerSecond = applied / n;
    }

    static SampleView of(List<IntegritySample> samples) {
        // Oldest first, so that when a partition moved between instances the newer report wins.
        List<IntegritySample> index = samples.stream()
                .filter(s -> s.getSource() == SampleSource.INDEX)
                .sorted(Comparator.comparingLong(IntegritySample::getSampledAtMillis))
                .toList();
        Map<Integer, PartitionStats> partitions = new TreeMap<>();
        List<CentroidStats> centroids = List.of();
        Set<String> jobs = new HashSet<>();
        for (IntegritySample s : index) {
            for (PartitionStats p : s.getPartitions()) {
                partitions.put(p.getPartition(), p);
            }
            if (!s.getCentroids().isEmpty()) {
                centroids = s.getCentroids(); // centroids describe the whole collection: keep one set, the freshest
            }
            for (MaintenanceJobStats j : s.getMaintenanceJobs()) {
                jobs.add(j.getId());
            }
        }
        return new SampleView(partitions, centroids, jobs.size());
    }

    Map<Integer, PartitionStats> partitions() {
        return partitions;
    }

    PartitionStats partition(int p) {
        return partitions.get(p);
    }

    int runningJobs() {
        return runningJobs;
    }

    /** Load over the mean load: max of the vector-count and apply-rate ratios; 0 when unreported. */
    double loadRatio(int p) {
        PartitionStats s = partitions.get(p);
        if (s == null) {
            return 0.0;
        }
        return Math.max(ratio(s.getVectorCount(), meanVectorCount), ratio(s.getAppliedPerSecond(), meanAppliedPerSecond));
    }

    /** Lag as a share of the scope's lag budget: the larger of the records and age shares; 0 when unreported. */
    double lagShare(int p, EffectiveIntegrityPolicy policy) {
        PartitionStats s = partitions.get(p);
        if (s == null) {
            return 0.0;
        }
        return Math.max(ratio(s.getLagRecords(), policy.getLagBudgetRecords()),
                ratio(s.getLagMillis(), policy.getLagBudgetMillis()));
    }

    /** Changelog lag of standby {@code partition@host}, 0 when unreported. */
    long standbyLag(String standbyId) {
        int at = standbyId.indexOf('@');
        if (at <= 0) {
            return 0;
        }
        PartitionStats s;
        try {
            s = partitions.get(Integer.parseInt(standbyId.substring(0, at)));
        } catch (NumberFormatException e) {
            return 0;
        }
        if (s == null) {
            return 0;
        }
        String host = standbyId.substring(at + 1);
        long lag = 0;
        for (StandbyStats st : s.getStandbys()) {
            if (st.getHost().equals(host)) {
                lag = Math.max(lag, st.getLagRecords());
            }
        }
        return lag;
    }

    /** The largest centroid size share over the mean share; 0 without centroids. */
    double centroidSkew() {
        double sum = 0;
        double max = 0;
        for (CentroidStats c : centroids) {
            sum += Math.max(0.0, c.getSizeShare());
            max = Math.max(max, c.getSizeShare());
        }
        double mean = centroids.isEmpty() ? 0.0 : sum / centroids.size();
        return ratio(max, mean);
    }

    /** {@code value / base}, 0 for a base of 0 and for negative or NaN values (as PartitionHealth does). */
    static double ratio(double value, double base) {
        if (!(base > 0) || !(value > 0)) {
            return 0.0;
        }
        return value / base;
    }
}
