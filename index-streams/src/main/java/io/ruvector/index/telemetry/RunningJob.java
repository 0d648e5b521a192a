package io.ruvector.index.telemetry;

/**
 * A maintenance job running now, as {@link MaintenanceJobs#running()} lists it.
 *
 * @param id        unique within this instance ({@code <kind>-p<partition>-<sequence>}); samples
 *                  prefix it with the instance id
 * @param kind      what it does
 * @param partition the partition whose store it holds (its write lock)
 * @param runMillis how long it has run so far
 */
public record RunningJob(String id, JobKind kind, int partition, long runMillis) {
}
