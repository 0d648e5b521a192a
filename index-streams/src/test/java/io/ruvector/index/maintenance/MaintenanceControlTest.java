package io.ruvector.index.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.schemas.GateAction;
import io.ruvector.schemas.IntegrityLevel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link MaintenanceControl}: pauses per collection or for all, their expiry, and the high-risk gates. */
class MaintenanceControlTest {

    private static final long NOW = 1_700_000_000_000L;
    private final MutableClock clock = new MutableClock(NOW);
    private final MaintenanceControl control = new MaintenanceControl(clock);

    @Test
    void shouldPauseOnlyTheNamedCollectionUntilItIsResumed() {
        control.pause("c", NOW + 60_000);

        assertThat(control.isPaused("c")).isTrue();
        assertThat(control.isPaused("other")).isFalse();
        assertThat(control.pausedUntil("c")).isEqualTo(NOW + 60_000);
        assertThat(control.mayRunPeriodic("c")).isFalse();

        control.resume("c");
        assertThat(control.isPaused("c")).isFalse();
        assertThat(control.mayRunPeriodic("c")).isTrue();
    }

    @Test
    void shouldPauseEveryCollectionWhenTheCollectionIsNull() {
        control.pause(null, NOW + 60_000);

        assertThat(control.isPaused("c")).isTrue();
        assertThat(control.isPaused("other")).isTrue();
        assertThat(control.isPaused(null)).isTrue();
        control.resume(null);
        assertThat(control.isPaused("c")).isFalse();
    }

    @Test
    void shouldEndThePauseWhenItsTimeHasPassed() {
        control.pause("c", NOW + 1_000);
        clock.advance(1_000);

        assertThat(control.isPaused("c")).isFalse();
        assertThat(control.pausedUntil("c")).isZero();
    }

    @Test
    void shouldReleaseAWaitingJobWhenThePauseExpiresOnTheClock() throws InterruptedException {
        control.pause("c", NOW + 1_000);
        CountDownLatch released = new CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().daemon().start(() -> {
            try {
                control.awaitUnpaused("c");
                released.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(released.await(100, TimeUnit.MILLISECONDS)).isFalse();

        clock.advance(1_000);

        assertThat(released.await(5, TimeUnit.SECONDS)).isTrue();
        waiter.join(1_000);
    }

    @Test
    void shouldBlockHighRiskMaintenanceAndCountItWhenTheHighRiskGateDefersOrRejects() {
        control.updateGate("c", States.state("c", "c", IntegrityLevel.STRESS, GateAction.DEFER));

        assertThat(control.highRiskBlock("c")).get().satisfies(block -> {
            assertThat(block.action()).isEqualTo(GateAction.DEFER);
            assertThat(block.reason()).contains("DEFER").contains("STRESS");
        });
        assertThat(control.deferred()).as("asking without starting counts nothing").isZero();
        assertThat(control.mayRunPeriodic("c")).isFalse();
        assertThat(control.mayRunPeriodic("other")).isTrue();
        assertThat(control.deferred()).isEqualTo(1);

        control.updateGate("c", States.state("c", "c", IntegrityLevel.CRITICAL, GateAction.REJECT));
        assertThat(control.checkHighRisk("c")).get().extracting(GateBlock::action).isEqualTo(GateAction.REJECT);
        assertThat(control.rejected()).isEqualTo(1);

        control.updateGate("c", States.state("c", "c", IntegrityLevel.NORMAL, GateAction.ALLOW));
        assertThat(control.checkHighRisk("c")).isEmpty();
        assertThat(control.mayRunPeriodic("c")).isTrue();
    }

    @Test
    void shouldBlockTheCollectionWhenOneOfItsTenantScopesDefers() {
        control.updateGate("c", States.state("c", "c", IntegrityLevel.NORMAL, GateAction.ALLOW));
        control.updateGate("c/t1", States.state("c/t1", "c", IntegrityLevel.STRESS, GateAction.DEFER));

        assertThat(control.highRiskBlock("c")).get().extracting(GateBlock::scope).isEqualTo("c/t1");

        control.updateGate("c/t1", null);
        assertThat(control.highRiskBlock("c")).isEmpty();
    }
}
