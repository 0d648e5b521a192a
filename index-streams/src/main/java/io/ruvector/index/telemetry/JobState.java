package io.ruvector.index.telemetry;

/** Where a maintenance job is; its name is the {@code MaintenanceJobStats.state} text of samples. */
public enum JobState {
    /** Working. */
    RUNNING,
    /** Waiting at a checkpoint because its collection's maintenance is paused. */
    PAUSED
}
