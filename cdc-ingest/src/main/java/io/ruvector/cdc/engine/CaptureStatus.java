package io.ruvector.cdc.engine;

import java.util.Objects;
import java.util.Set;

/**
 * What the capture is doing now, for health checks.
 *
 * @param phase   see {@link Phase}
 * @param tables  the tables the connector captures (or is starting to capture)
 * @param loading tables whose existing rows are still arriving through a snapshot
 * @param failure why the capture stopped on its own; null unless {@link Phase#FAILED}
 */
public record CaptureStatus(Phase phase, Set<String> tables, Set<String> loading, String failure) {

    public enum Phase {
        /** No collection registered yet: nothing to capture, and nothing missed. */
        IDLE,
        /** The connector task is starting for the first time (slot, publication, snapshot set-up). */
        STARTING,
        /** The connector streams changes. */
        STREAMING,
        /** The connector restarts to include a newly registered table; it streamed before. */
        RESTARTING,
        /** The connector stopped on its own; the process needs a restart. */
        FAILED,
        /** Closed by its owner. */
        CLOSED
    }

    public CaptureStatus {
        Objects.requireNonNull(phase, "phase");
        tables = Set.copyOf(tables);
        loading = Set.copyOf(loading);
    }

    /** Whether changes are being captured (or the capture has nothing to do yet). */
    public boolean serving() {
        return phase == Phase.IDLE || phase == Phase.STREAMING || phase == Phase.RESTARTING;
    }
}
