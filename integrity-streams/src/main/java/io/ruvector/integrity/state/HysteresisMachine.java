package io.ruvector.integrity.state;

import io.ruvector.schemas.IntegrityLevel;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The NORMAL / STRESS / CRITICAL state machine of ARCHITECTURE.md §4, as a pure function of the
 * remembered {@link Hysteresis}, one λ sample, its sample time and the policy. No clock, no
 * Kafka: time is the samples' own, so every sequence replays to the same states.
 *
 * <p>Rules, in the order they apply to a sample at time t:
 * <ol>
 *   <li>A sample older than the latest counted one is ignored (out of order, or redelivered).</li>
 *   <li>Counters: {@code belowHigh} counts consecutive samples with λ &lt; high, {@code atOrBelowLow}
 *       consecutive samples with λ ≤ low; a sample outside resets its counter. They keep counting
 *       during a cooldown.</li>
 *   <li>Recovery hold: in STRESS the recovery threshold is high + margin, in CRITICAL low + margin;
 *       the hold starts at the first sample of a run at or above it and breaks at a sample below.</li>
 *   <li>Cooldown: if t − last transition &lt; cooldown, no transition (counters and hold still move).</li>
 *   <li>Escalation follows the counters. NORMAL leaves after {@code samplesToStress} samples below
 *       high, and goes straight to CRITICAL if at that moment {@code atOrBelowLow ≥ samplesToCritical}
 *       too (a collapse is not made to wait a cooldown in STRESS; leaving NORMAL still takes the
 *       full stress count, so one or two bad samples never move it). STRESS → CRITICAL after
 *       {@code samplesToCritical} samples at or below low.</li>
 *   <li>Recovery is one step at a time (CRITICAL → STRESS → NORMAL), each once the hold has lasted
 *       {@code recoveryHold}. A transition restarts the hold, counting from its own sample when
 *       that already qualifies for the next step, so a full recovery takes at least two holds.</li>
 * </ol>
 */
public final class HysteresisMachine {

    /** The outcome of one sample: the new memory, and the transition if there was one. */
    public record Step(Hysteresis next, Optional<Transition> transition) {

        public Step {
            Objects.requireNonNull(next, "next");
            Objects.requireNonNull(transition, "transition");
        }
    }

    private HysteresisMachine() {
    }

    public static Step step(Hysteresis memory, double lambda, long atMillis, HysteresisPolicy policy) {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(policy, "policy");
        if (!(lambda >= 0.0 && lambda <= 1.0)) {
            throw new IllegalArgumentException("λ must be in [0, 1], was " + lambda);
        }
        if (memory.lastSample().isPresent() && atMillis < memory.lastSample().getAsLong()) {
            return new Step(memory, Optional.empty());
        }
        int belowHigh = lambda < policy.thresholdHigh() ? memory.belowHigh() + 1 : 0;
        int atOrBelowLow = lambda <= policy.thresholdLow() ? memory.atOrBelowLow() + 1 : 0;
        IntegrityLevel state = memory.state();
        OptionalLong held = hold(state, memory.recoveryHeldSince(), lambda, atMillis, policy);
        boolean coolingDown = memory.lastTransition().isPresent()
                && atMillis - memory.lastTransition().getAsLong() < policy.cooldown().toMillis();
        IntegrityLevel target = coolingDown ? state : target(state, belowHigh, atOrBelowLow, held, atMillis, policy);
        if (target == state) {
            return new Step(new Hysteresis(state, memory.sinceMillis(), belowHigh, atOrBelowLow, held,
                    memory.lastTransition(), OptionalLong.of(atMillis)), Optional.empty());
        }
        Transition.Cause cause = target.ordinal() > state.ordinal()
                ? Transition.Cause.ESCALATION : Transition.Cause.RECOVERY;
        Hysteresis next = new Hysteresis(target, atMillis, belowHigh, atOrBelowLow,
                hold(target, OptionalLong.empty(), lambda, atMillis, policy), OptionalLong.of(atMillis),
                OptionalLong.of(atMillis));
        return new Step(next, Optional.of(new Transition(state, target, atMillis, lambda, cause)));
    }

    /** The λ a scope in {@code state} must hold to step back, or NaN in NORMAL (nothing to recover). */
    public static double recoveryThreshold(IntegrityLevel state, HysteresisPolicy policy) {
        return switch (state) {
            case NORMAL -> Double.NaN;
            case STRESS -> policy.thresholdHigh() + policy.recoveryMargin();
            case CRITICAL -> policy.thresholdLow() + policy.recoveryMargin();
        };
    }

    private static OptionalLong hold(IntegrityLevel state, OptionalLong since, double lambda, long atMillis,
                                     HysteresisPolicy policy) {
        double threshold = recoveryThreshold(state, policy);
        // NaN compares false: NORMAL never holds.
        if (lambda >= threshold) {
            return since.isPresent() ? since : OptionalLong.of(atMillis);
        }
        return OptionalLong.empty();
    }

    private static IntegrityLevel target(IntegrityLevel state, int belowHigh, int atOrBelowLow, OptionalLong held,
                                         long atMillis, HysteresisPolicy policy) {
        boolean critical = atOrBelowLow >= policy.samplesToCritical();
        boolean recovered = held.isPresent() && atMillis - held.getAsLong() >= policy.recoveryHold().toMillis();
        return switch (state) {
            case NORMAL -> belowHigh >= policy.samplesToStress()
                    ? (critical ? IntegrityLevel.CRITICAL : IntegrityLevel.STRESS)
                    : IntegrityLevel.NORMAL;
            case STRESS -> critical ? IntegrityLevel.CRITICAL
                    : recovered ? IntegrityLevel.NORMAL : IntegrityLevel.STRESS;
            case CRITICAL -> recovered ? IntegrityLevel.STRESS : IntegrityLevel.CRITICAL;
        };
    }
}
