package io.ruvector.integrity.gate;

import java.time.Duration;
import java.util.Objects;

/** The answer of the gate for one operation (ARCHITECTURE.md §4). */
public sealed interface GateDecision {

    /** Go ahead. */
    record Allow() implements GateDecision {
    }

    /** Admit only this fraction of the work (e.g. apply changes at that share of the normal rate). */
    record Throttle(double admitFraction) implements GateDecision {

        public Throttle {
            if (!(admitFraction > 0 && admitFraction < 1)) {
                throw new IllegalArgumentException("throttle admit fraction must be in (0, 1), was " + admitFraction);
            }
        }
    }

    /** Not now: ask again after this long. */
    record Defer(Duration retryAfter) implements GateDecision {

        public Defer {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative() || retryAfter.isZero()) {
                throw new IllegalArgumentException("defer duration must be > 0, was " + retryAfter);
            }
        }
    }

    /** Not in this state. */
    record Reject() implements GateDecision {
    }

    GateDecision ALLOW = new Allow();
    GateDecision REJECT = new Reject();

    /** Whether the operation may start now (possibly throttled). */
    default boolean admits() {
        return switch (this) {
            case Allow a -> true;
            case Throttle t -> true;
            case Defer d -> false;
            case Reject r -> false;
        };
    }
}
