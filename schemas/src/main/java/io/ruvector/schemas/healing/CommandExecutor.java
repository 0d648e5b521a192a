package io.ruvector.schemas.healing;

import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.RemediationCommand;
import java.util.Set;

/**
 * The contract between the healing engine's commands and the module that owns what a command
 * changes (the capture's pacer, the index's maintenance). A dispatcher consumes
 * {@code ruvector.healing.commands}, hands each command whose strategy an executor names to it,
 * and publishes the returned ack on {@code ruvector.healing.acks}. The dispatcher skips command
 * ids that already have an ack, so an executor sees a command at most once per process; after a
 * restart it calls {@link #restore} for acked, unexpired APPLY commands so that lasting effects
 * (a throttle, a pause) come back.
 */
public interface CommandExecutor {

    /** Who applies: {@code capture@<deployment>}, {@code index@<host:port>}. */
    String executorId();

    /** The strategies (see {@link Strategies}) this executor applies. */
    Set<String> strategies();

    /**
     * Applies (or, with action ROLLBACK, undoes) the command, or only describes the plan when it is
     * a dry run. Never throws for a command it cannot apply: answers FAILED with the reason.
     */
    CommandAck execute(RemediationCommand command);

    /** Re-installs the lasting effect of an APPLY command acked before a restart; default none. */
    default void restore(RemediationCommand command) {
    }
}
