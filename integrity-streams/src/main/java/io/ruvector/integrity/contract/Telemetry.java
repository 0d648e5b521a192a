package io.ruvector.integrity.contract;

import io.ruvector.schemas.CdcStats;
import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.InstanceStats;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.MaintenanceJobStats;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the latest samples of one scope say, merged: one entry per partition, instance and job.
 * Several reporters describe one collection (every index instance its own partitions, the
 * capture the ingest); when two describe the same partition, host or job (a task moved between
 * samples) the fresher sample wins.
 *
 * @param partitions by partition id
 * @param instances  by host
 * @param jobs       by job id
 * @param centroids  from the freshest sample that lists any (centroids are collection-wide)
 * @param cdc        the freshest capture stats, if a CDC sample is among the inputs
 */
public record Telemetry(Map<Integer, PartitionStats> partitions, Map<String, InstanceStats> instances,
                        Map<String, MaintenanceJobStats> jobs, List<CentroidStats> centroids,
                        Optional<CdcStats> cdc) {

    public Telemetry {
        partitions = Map.copyOf(partitions);
        instances = Map.copyOf(instances);
        jobs = Map.copyOf(jobs);
        centroids = List.copyOf(centroids);
    }

    /** Merges {@code samples}, in any order; later {@code sampledAtMillis} wins per entry. */
    public static Telemetry merge(List<IntegritySample> samples) {
        List<IntegritySample> oldestFirst = samples.stream()
                .sorted(Comparator.comparingLong(IntegritySample::getSampledAtMillis)).toList();
        Map<Integer, PartitionStats> partitions = new TreeMap<>();
        Map<String, InstanceStats> instances = new TreeMap<>();
        Map<String, MaintenanceJobStats> jobs = new TreeMap<>();
        List<CentroidStats> centroids = List.of();
        CdcStats cdc = null;
        for (IntegritySample sample : oldestFirst) {
            sample.getPartitions().forEach(p -> partitions.put(p.getPartition(), p));
            sample.getInstances().forEach(i -> instances.put(i.getHost(), i));
            sample.getMaintenanceJobs().forEach(j -> jobs.put(j.getId(), j));
            if (!sample.getCentroids().isEmpty()) {
                centroids = sample.getCentroids();
            }
            if (sample.getSource() == SampleSource.CDC && sample.getCdc() != null) {
                cdc = sample.getCdc();
            }
        }
        return new Telemetry(partitions, instances, jobs, centroids, Optional.ofNullable(cdc));
    }
}
