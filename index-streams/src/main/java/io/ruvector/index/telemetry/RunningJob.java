package io.ruvector.index.telemetry;

import java.util.Objects;

/**
 * A maintenance job running now, as {@link MaintenanceJobs#running()} lists it.
 *
 * @param id             unique within this instance ({@code <kind>-p<partition>-<sequence>}); samples
 *                       prefix it with the instance id
 * @param kind           what it does
 * @param partition      the partition whose store it holds (its write lock); {@code -1} for all
 * @param runMillis      how long it has run so far
 * @param collection     the collection it works on, null for partition-wide jobs (graph rebuilds)
 * @param state          RUNNING, or PAUSED while it waits at a checkpoint
 * @param estimateMillis how long it was expected to take, 0 when unknown (then the telemetry's
 *                       {@code jobOverrun} setting decides whether it is overrunning)
 */
public record RunningJob(String id, JobKind kind, int partition, long runMillis, String collection, JobState state,
                         long estimateMillis) {

    public RunningJob {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
    }

    /** A running partition-wide job without an estimate. */
    public RunningJob(String id, JobKind kind, int partition, long runMillis) {
        this(id, kind, partition, runMillis, null, JobState.RUNNING, 0);
    }

    /** Whether it has run longer than its estimate, or than {@code defaultOverrunMillis} without one. */
    public boolean overrunning(long defaultOverrunMillis) {
        return runMillis > (estimateMillis > 0 ? estimateMillis : defaultOverrunMillis);
    }
}
