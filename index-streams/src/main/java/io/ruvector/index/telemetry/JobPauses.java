package io.ruvector.index.telemetry;

/**
 * What a maintenance job consults at its checkpoints: whether its collection's maintenance is
 * paused, and a way to wait until it is not. An interface here so that the registry of jobs does
 * not depend on the maintenance control that implements it ({@code MaintenanceControl}).
 */
public interface JobPauses {

    /** Never paused. */
    JobPauses NONE = new JobPauses() {
        @Override
        public boolean isPaused(String collection) {
            return false;
        }

        @Override
        public void awaitUnpaused(String collection) {
        }
    };

    /** Whether maintenance of {@code collection} (null: a job of no collection) is paused now. */
    boolean isPaused(String collection);

    /** Blocks while maintenance of {@code collection} is paused (until resumed or the pause expires). */
    void awaitUnpaused(String collection) throws InterruptedException;
}
