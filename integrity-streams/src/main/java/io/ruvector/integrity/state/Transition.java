package io.ruvector.integrity.state;

import io.ruvector.schemas.IntegrityLevel;
import java.util.Objects;

/**
 * One change of integrity state.
 *
 * @param from     the state left
 * @param to       the state entered
 * @param atMillis sample time of the evaluation that decided it
 * @param lambda   λ of that evaluation
 * @param cause    why
 */
public record Transition(IntegrityLevel from, IntegrityLevel to, long atMillis, double lambda, Cause cause) {

    /** Escalation follows the sample counters; recovery the hold above threshold + margin. */
    public enum Cause { ESCALATION, RECOVERY }

    public Transition {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(cause, "cause");
    }
}
