package io.ruvector.index.telemetry;

/** Kinds of index maintenance that {@link MaintenanceJobs} tracks; {@link #label()} is what samples carry. */
public enum JobKind {
    /** Removing deleted nodes from a partition's graphs ({@code GraphMaintenance}). */
    COMPACTION("compaction"),
    /** Building graphs from the stored rows: after a restore, or when a collection's spec changed. */
    REBUILD("rebuild"),
    /** Moving idle rows to the cold tier or promoting them back ({@code evict_cold_data}). */
    TIERING("tiering");

    private final String label;

    JobKind(String label) {
        this.label = label;
    }

    /** The {@code MaintenanceJobStats.kind} text. */
    public String label() {
        return label;
    }
}
