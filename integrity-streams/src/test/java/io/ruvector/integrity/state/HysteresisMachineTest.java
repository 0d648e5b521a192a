package io.ruvector.integrity.state;

import static io.ruvector.schemas.IntegrityLevel.CRITICAL;
import static io.ruvector.schemas.IntegrityLevel.NORMAL;
import static io.ruvector.schemas.IntegrityLevel.STRESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegrityPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HysteresisMachineTest {

    private static final long TICK = 10_000; // one sample every 10 s

    /** Feeds λ values at t = 0, 10 s, 20 s … and records the state after each and the transitions. */
    private static final class Script {
        final HysteresisPolicy policy;
        Hysteresis memory = Hysteresis.initial(0);
        long t = 0;
        final List<IntegrityLevel> states = new ArrayList<>();
        final List<Transition> transitions = new ArrayList<>();

        Script(HysteresisPolicy policy) {
            this.policy = policy;
        }

        Script feed(double... lambdas) {
            for (double lambda : lambdas) {
                HysteresisMachine.Step step = HysteresisMachine.step(memory, lambda, t, policy);
                memory = step.next();
                step.transition().ifPresent(transitions::add);
                states.add(memory.state());
                t += TICK;
            }
            return this;
        }

        Script repeat(double lambda, int times) {
            for (int i = 0; i < times; i++) {
                feed(lambda);
            }
            return this;
        }

        IntegrityLevel state() {
            return memory.state();
        }
    }

    private static Script script() {
        return new Script(HysteresisPolicy.DEFAULTS);
    }

    @Test
    void shouldStayNormalAfterTwoSamplesBelowHighAndStressOnTheThird() {
        Script s = script().feed(1.0, 0.5, 0.5);
        assertThat(s.state()).isEqualTo(NORMAL);

        s.feed(0.5);

        assertThat(s.states).containsExactly(NORMAL, NORMAL, NORMAL, STRESS);
        assertThat(s.transitions).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(NORMAL);
            assertThat(t.to()).isEqualTo(STRESS);
            assertThat(t.atMillis()).isEqualTo(30_000);
            assertThat(t.cause()).isEqualTo(Transition.Cause.ESCALATION);
        });
    }

    @Test
    void shouldRestartTheCountWhenOneSampleIsBackAtTheThreshold() {
        // exactly 0.8 is not below 0.8
        Script s = script().feed(0.5, 0.5, 0.8, 0.5, 0.5);

        assertThat(s.state()).isEqualTo(NORMAL);
        assertThat(s.memory.belowHigh()).isEqualTo(2);
    }

    @Test
    void shouldGoCriticalAfterTwoSamplesAtOrBelowLowWhenInStress() {
        Script s = script().repeat(0.5, 3);       // STRESS at t = 20 s, cooldown until 80 s
        s.repeat(0.5, 6);                         // t = 30 … 80 s: still stress
        s.feed(0.3);                              // t = 90: first at-or-below sample
        assertThat(s.state()).isEqualTo(STRESS);

        s.feed(0.3);                              // t = 100: second

        assertThat(s.state()).isEqualTo(CRITICAL);
        assertThat(s.transitions).extracting(Transition::atMillis).containsExactly(20_000L, 100_000L);
    }

    @Test
    void shouldNotTransitionInsideTheCooldownAndTransitionWhenItEnds() {
        Script s = script().repeat(0.5, 3);       // STRESS at t = 20 s
        s.repeat(0.1, 5);                         // t = 30 … 70 s: critical evidence, but cooling down
        assertThat(s.state()).isEqualTo(STRESS);

        s.feed(0.1);                              // t = 80 s: 60 s after the transition

        assertThat(s.state()).isEqualTo(CRITICAL);
        assertThat(s.transitions.getLast().atMillis()).isEqualTo(80_000L);
    }

    @Test
    void shouldNotRecoverInsideTheCooldownEvenWithoutHold() {
        HysteresisPolicy noHold = new HysteresisPolicy(0.8, 0.3, 3, 2, Duration.ZERO, 0.1, Duration.ofSeconds(60));
        Script s = new Script(noHold).repeat(0.5, 3);   // STRESS at t = 20 s
        s.repeat(1.0, 5);                                // t = 30 … 70 s
        assertThat(s.state()).isEqualTo(STRESS);

        s.feed(1.0);                                     // t = 80 s

        assertThat(s.state()).isEqualTo(NORMAL);
    }

    @Test
    void shouldJumpFromNormalToCriticalWhenBothCountersAreMetOnTheThirdSample() {
        Script s = script().feed(0.1, 0.1);
        assertThat(s.state()).isEqualTo(NORMAL);  // leaving NORMAL always takes samplesToStress

        s.feed(0.1);

        assertThat(s.state()).isEqualTo(CRITICAL);
        assertThat(s.transitions).singleElement().extracting(Transition::from).isEqualTo(NORMAL);
    }

    @Test
    void shouldRecoverFromStressOnlyAfterLambdaHeldAboveThresholdPlusMarginForTheHold() {
        Script s = script().repeat(0.5, 3);       // STRESS at t = 20 s
        s.repeat(0.85, 40);                       // above 0.8 but below 0.9: never enough
        assertThat(s.state()).isEqualTo(STRESS);

        long start = s.t;
        s.repeat(0.95, 30);                       // 0 … 290 s held
        assertThat(s.state()).isEqualTo(STRESS);

        s.feed(0.95);                             // 300 s held

        assertThat(s.state()).isEqualTo(NORMAL);
        assertThat(s.transitions.getLast().atMillis()).isEqualTo(start + 300_000);
        assertThat(s.transitions.getLast().cause()).isEqualTo(Transition.Cause.RECOVERY);
    }

    @Test
    void shouldRestartTheHoldWhenLambdaDipsBelowTheRecoveryThreshold() {
        Script s = script().repeat(0.5, 3).repeat(0.95, 20).feed(0.89);
        long restart = s.t;
        s.repeat(0.95, 30);
        assertThat(s.state()).isEqualTo(STRESS);

        s.feed(0.95);

        assertThat(s.state()).isEqualTo(NORMAL);
        assertThat(s.transitions.getLast().atMillis()).isEqualTo(restart + 300_000);
    }

    @Test
    void shouldRecoverOneStepAtATimeWhenLeavingCritical() {
        Script s = script().repeat(0.1, 3);       // CRITICAL at t = 20 s
        long start = s.t;
        s.repeat(1.0, 30);
        assertThat(s.state()).isEqualTo(CRITICAL);

        s.feed(1.0);                              // 300 s above 0.4
        assertThat(s.state()).isEqualTo(STRESS);
        s.repeat(1.0, 29);                        // the next step needs its own hold
        assertThat(s.state()).isEqualTo(STRESS);
        s.feed(1.0);

        assertThat(s.state()).isEqualTo(NORMAL);
        assertThat(s.transitions).extracting(Transition::to).containsExactly(CRITICAL, STRESS, NORMAL);
        assertThat(s.transitions.get(2).atMillis() - s.transitions.get(1).atMillis()).isEqualTo(300_000);
        assertThat(s.transitions.get(1).atMillis()).isEqualTo(start + 300_000);
    }

    @Test
    void shouldIgnoreASampleOlderThanTheLatestCounted() {
        Script s = script().feed(0.5, 0.5);
        Hysteresis before = s.memory;

        HysteresisMachine.Step step = HysteresisMachine.step(before, 0.5, 5_000, HysteresisPolicy.DEFAULTS);

        assertThat(step.next()).isEqualTo(before);
        assertThat(step.transition()).isEmpty();
    }

    @Test
    void shouldUseTheOverriddenThresholdsWhenAPolicyOverridesThem() {
        IntegrityPolicy override = IntegrityPolicy.newBuilder().setCollection("c").setThresholdHigh(0.6)
                .setThresholdLow(0.2).setSamplesToStress(2).setUpdatedAtMillis(0).build();
        HysteresisPolicy policy = HysteresisPolicy.DEFAULTS.withOverrides(override);

        assertThat(new Script(policy).repeat(0.7, 10).state()).isEqualTo(NORMAL);
        assertThat(new Script(policy).feed(0.5, 0.5).state()).isEqualTo(STRESS);
        assertThat(policy.cooldown()).isEqualTo(Duration.ofSeconds(60)); // not overridden
    }

    @Test
    void shouldRejectAPolicyThatCouldNeverRecover() {
        assertThatThrownBy(() -> new HysteresisPolicy(0.95, 0.3, 3, 2, Duration.ofSeconds(300), 0.1,
                Duration.ofSeconds(60))).hasMessageContaining("recoveryMargin");
        assertThatThrownBy(() -> new HysteresisPolicy(0.5, 0.6, 3, 2, Duration.ofSeconds(300), 0.1,
                Duration.ofSeconds(60))).hasMessageContaining("thresholdLow < thresholdHigh");
    }
}
