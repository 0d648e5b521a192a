package io.ruvector.integrity.state;

import io.ruvector.schemas.IntegrityLevel;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Everything the {@link HysteresisMachine} remembers about one scope between samples; persisted in
 * the {@code IntegrityState} record so that a restarted task resumes mid-count.
 *
 * @param state              current state
 * @param sinceMillis        when it was entered
 * @param belowHigh          consecutive samples with λ &lt; thresholdHigh, up to and including the latest
 * @param atOrBelowLow       consecutive samples with λ ≤ thresholdLow
 * @param recoveryHeldSince  first sample of the current run at or above the recovery threshold of
 *                           {@code state} (empty in NORMAL, or when the latest sample was below it)
 * @param lastTransition     time of the latest transition; the cooldown counts from it
 * @param lastSample         time of the latest sample counted
 */
public record Hysteresis(IntegrityLevel state, long sinceMillis, int belowHigh, int atOrBelowLow,
                         OptionalLong recoveryHeldSince, OptionalLong lastTransition, OptionalLong lastSample) {

    public Hysteresis {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(recoveryHeldSince, "recoveryHeldSince");
        Objects.requireNonNull(lastTransition, "lastTransition");
        Objects.requireNonNull(lastSample, "lastSample");
        if (belowHigh < 0 || atOrBelowLow < 0) {
            throw new IllegalArgumentException("sample counters must be >= 0, were " + belowHigh + ", " + atOrBelowLow);
        }
    }

    /** A scope never seen before: NORMAL, nothing counted. */
    public static Hysteresis initial(long atMillis) {
        return new Hysteresis(IntegrityLevel.NORMAL, atMillis, 0, 0, OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty());
    }
}
