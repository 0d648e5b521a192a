package io.ruvector.index.telemetry;

import io.ruvector.index.query.CollectionStats;
import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.InstanceStats;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.MaintenanceJobStats;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.StandbyStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one sampling round's measurements into a collection's {@link IntegritySample} (source
 * INDEX, the {@code cdc} part null). Pure: every input is in the {@link Round} and the
 * arguments. TELEMETRY-NOTES.md defines each field.
 */
final class SampleAssembler {

    /**
     * What one round measured that does not depend on the collection.
     *
     * @param sampledAtMillis  when the round started
     * @param windowMillis     length of the window the activity covers (since the previous round)
     * @param instanceId       this instance ({@code application.server}); partitions' host
     * @param activity         each local partition's activity over the window
     * @param consumerLag      vectors-topic lag per partition, in records (absent: unknown, read as 0)
     * @param standbys         standby copies of each partition, with their lag
     * @param instance         this instance's load and p99
     * @param jobs             maintenance jobs running at the start of the round
     * @param jobOverrunMillis a job without an estimate running longer is overrunning
     */
    record Round(long sampledAtMillis, long windowMillis, String instanceId, Map<Integer, ActivityWindow> activity,
                 Map<Integer, Long> consumerLag, Map<Integer, List<StandbyStats>> standbys, InstanceStats instance,
                 List<RunningJob> jobs, long jobOverrunMillis, Map<Integer, Map<String, Double>> appliedRates) {

        /** A round whose apply rates are its own window's. */
        Round(long sampledAtMillis, long windowMillis, String instanceId, Map<Integer, ActivityWindow> activity,
              Map<Integer, Long> consumerLag, Map<Integer, List<StandbyStats>> standbys, InstanceStats instance,
              List<RunningJob> jobs, long jobOverrunMillis) {
            this(sampledAtMillis, windowMillis, instanceId, activity, consumerLag, standbys, instance, jobs,
                    jobOverrunMillis, Map.of());
        }
    }

    private SampleAssembler() {
    }

    /**
     * The sample of {@code collection}: one {@link PartitionStats} per entry of {@code stats} (the
     * local active partitions that hold it), the jobs on those partitions, this instance and
     * {@code centroids}.
     */
    static IntegritySample assemble(Round round, String collection, Map<Integer, CollectionStats> stats,
                                    List<CentroidStats> centroids) {
        List<PartitionStats> partitions = new ArrayList<>(stats.size());
        stats.forEach((partition, s) -> partitions.add(partition(round, collection, partition, s)));
        List<MaintenanceJobStats> jobs = new ArrayList<>();
        for (RunningJob job : round.jobs()) {
            boolean ours = job.collection() == null || job.collection().equals(collection);
            if (ours && (job.partition() < 0 || stats.containsKey(job.partition()))) {
                // Ids are per instance; the integrity side merges every instance's jobs by id.
                jobs.add(new MaintenanceJobStats(round.instanceId() + "/" + job.id(), job.kind().label(),
                        job.state().name(), job.runMillis(), job.overrunning(round.jobOverrunMillis()),
                        // a job over all local partitions (-1) weighs on each of them
                        job.partition() < 0 ? List.copyOf(new java.util.TreeSet<>(stats.keySet())) : List.of(job.partition())));
            }
        }
        return IntegritySample.newBuilder()
                .setCollection(collection)
                .setTenant(null)
                .setSampledAtMillis(round.sampledAtMillis())
                .setSource(SampleSource.INDEX)
                .setInstanceId(round.instanceId())
                .setPartitions(partitions)
                .setInstances(List.of(round.instance()))
                .setMaintenanceJobs(jobs)
                .setCentroids(centroids)
                .setCdc(null)
                .build();
    }

    private static PartitionStats partition(Round round, String collection, int partition, CollectionStats stats) {
        ActivityWindow activity = round.activity().getOrDefault(partition, ActivityWindow.IDLE);
        long lag = round.consumerLag().getOrDefault(partition, 0L);
        int nodes = stats.graphPresent() ? stats.liveRows() + stats.deletedGraphNodes() : 0;
        return PartitionStats.newBuilder()
                .setPartition(partition)
                .setVectorCount(stats.liveRows())
                .setAppliedPerSecond(round.appliedRates().getOrDefault(partition, Map.of())
                        .getOrDefault(collection, activity.stored(collection) * 1000.0 / round.windowMillis()))
                .setLagRecords(lag)
                .setLagMillis(lagMillis(lag, activity.lastCommitMicros(), round.sampledAtMillis()))
                .setApplyP50Micros(activity.applyLatency().p50Micros())
                .setApplyP99Micros(activity.applyLatency().p99Micros())
                .setQueryP50Micros(activity.queryLatency().p50Micros())
                .setQueryP99Micros(activity.queryLatency().p99Micros())
                .setErrorRate(activity.errorRate())
                .setDeletedFraction(nodes == 0 ? 0.0 : (double) stats.deletedGraphNodes() / nodes)
                .setMemoryBytes(stats.memoryBytes())
                .setHost(round.instanceId())
                .setHandOff(stats.handOff())
                .setStandbys(round.standbys().getOrDefault(partition, List.of()))
                .build();
    }

    /**
     * Age of the oldest unapplied change, estimated as the age of the last applied one: the next
     * change in the log committed at or after it, so this is an upper bound (by at most the gap
     * between two commits). 0 without lag, and 0 (unknown) before the partition applied anything.
     */
    static long lagMillis(long lagRecords, long lastCommitMicros, long nowMillis) {
        if (lagRecords <= 0 || lastCommitMicros == ActivityWindow.NO_COMMIT) {
            return 0;
        }
        return Math.max(0, nowMillis - lastCommitMicros / 1_000);
    }
}
