package io.ruvector.integrity;

import io.ruvector.integrity.topology.SamplingStepBenchmark;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.PartitionStats;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/** Samples of the reference collection (12 partitions, 2 instances, 64 centroids, 2 jobs) for tests. */
public final class Fixtures {

    public static final int PARTITIONS = 12;
    public static final int INSTANCES = 2;
    public static final int CENTROIDS = 64;
    public static final int JOBS = 2;

    private Fixtures() {
    }

    /** A healthy round of samples (two INDEX, one CDC) of {@code collection} at {@code at}; fixed seed. */
    public static List<IntegritySample> healthy(String collection, String tenant, long at) {
        List<IntegritySample> samples = SamplingStepBenchmark.referenceSamples(collection, at, PARTITIONS, INSTANCES,
                CENTROIDS, JOBS, new SplittableRandom(7));
        samples.forEach(s -> s.setTenant(tenant));
        return samples;
    }

    /** Applies {@code change} to partition {@code p} wherever the samples report it; returns the samples. */
    public static List<IntegritySample> withPartition(List<IntegritySample> samples, int p, Consumer<PartitionStats> change) {
        boolean found = false;
        for (IntegritySample s : samples) {
            for (PartitionStats stats : s.getPartitions()) {
                if (stats.getPartition() == p) {
                    change.accept(stats);
                    found = true;
                }
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no partition " + p + " in the samples");
        }
        return samples;
    }
}
