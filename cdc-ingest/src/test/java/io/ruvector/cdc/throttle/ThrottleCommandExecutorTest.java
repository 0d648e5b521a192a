package io.ruvector.cdc.throttle;

import io.ruvector.cdc.testing.ManualClock;

import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.Strategies;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ThrottleCommandExecutorTest {

    private static final ThrottleSettings SETTINGS = new ThrottleSettings(100, 0.1, Duration.ofSeconds(10), 1_000_000);
    private static final long T0 = 1_700_000_000_000L;

    private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(T0));
    private IngestGates gates;
    private ThrottleCommandExecutor executor;

    @BeforeEach
    void setUp() {
        gates = new IngestGates(SETTINGS, clock);
        executor = new ThrottleCommandExecutor(gates, "main", clock);
    }

    private static RemediationCommand.Builder command(String id, Map<String, String> params) {
        return RemediationCommand.newBuilder().setCommandId(id).setCollection("items").setTenant(null)
                .setStrategy(Strategies.THROTTLE_INGESTION).setAction(CommandAction.APPLY).setParams(params)
                .setDryRun(false).setIssuedAtMillis(T0).setExpiresAtMillis(T0 + 600_000);
    }

    private static RemediationCommand stress(String id) {
        return command(id, Map.of(Strategies.PARAM_ADMIT_FRACTION, "0.5", Strategies.PARAM_BULK_ADMIT_FRACTION, "0.4"))
                .build();
    }

    @Test
    void shouldNameItselfAfterTheDeploymentWhenCreated() {
        assertThat(executor.executorId()).isEqualTo("capture@main");
        assertThat(executor.strategies()).containsExactly(Strategies.THROTTLE_INGESTION);
    }

    @Test
    void shouldLowerTheAdmitFractionAndAckTheNumbersWhenApplied() {
        CommandAck ack = executor.execute(stress("cmd-1"));

        assertThat(ack.getStatus()).isEqualTo(AckStatus.APPLIED);
        assertThat(ack.getExecutor()).isEqualTo("capture@main");
        assertThat(ack.getAckedAtMillis()).isEqualTo(T0);
        assertThat(ack.getDetails()).containsEntry("previous_fraction", "1.0").containsEntry("admit_fraction", "0.5")
                .containsEntry("bulk_admit_fraction", "0.4")
                .containsEntry("expires_at_millis", Long.toString(T0 + 600_000));
        assertThat(gates.admitFraction("items", null, OperationClass.POINT)).isEqualTo(0.5);
        assertThat(gates.admitFraction("items", null, OperationClass.BULK)).isEqualTo(0.4);
        assertThat(gates.admitFraction("items", "t1", OperationClass.POINT)).as("a collection cap covers its tenants")
                .isEqualTo(0.5);
        assertThat(gates.admitFraction("other", null, OperationClass.POINT)).isEqualTo(1.0);
        assertThat(executor.activeCaps()).singleElement().extracting(ThrottleCap::commandId).isEqualTo("cmd-1");
    }

    @Test
    void shouldCapOnlyTheTenantAndDeriveBulkTenPointsLowerWhenTenantIsSetAndBulkMissing() {
        executor.execute(command("cmd-t", Map.of(Strategies.PARAM_ADMIT_FRACTION, "0.1")).setTenant("t1").build());

        assertThat(gates.admitFraction("items", "t1", OperationClass.POINT)).isEqualTo(0.1);
        assertThat(gates.admitFraction("items", "t1", OperationClass.BULK)).as("floored at minAdmitFraction")
                .isEqualTo(0.1);
        assertThat(gates.admitFraction("items", "t2", OperationClass.POINT)).isEqualTo(1.0);
        assertThat(gates.admitFraction("items", null, OperationClass.POINT)).isEqualTo(1.0);
    }

    @Test
    void shouldLapseByItselfWhenTheCommandExpires() {
        executor.execute(stress("cmd-1"));
        clock.advance(Duration.ofSeconds(599));
        assertThat(gates.admitFraction("items", null, OperationClass.POINT)).isEqualTo(0.5);

        clock.advance(Duration.ofSeconds(1));

        assertThat(gates.admitFraction("items", null, OperationClass.POINT)).isEqualTo(1.0);
        assertThat(executor.activeCaps()).isEmpty();
    }

    @Test
    void shouldLiftTheCapWhenRolledBack() {
        executor.execute(stress("cmd-1"));

        CommandAck ack = executor.execute(command("cmd-2", Map.of()).setAction(CommandAction.ROLLBACK)
                .setRollbackOf("cmd-1").build());

        assertThat(ack.getStatus()).isEqualTo(AckStatus.ROLLED_BACK);
        assertThat(ack.getDetails()).containsEntry("previous_fraction", "0.5");
        assertThat(gates.admitFraction("items", null, OperationClass.BULK)).isEqualTo(1.0);
        assertThat(executor.activeCaps()).isEmpty();
    }

    @Test
    void shouldKeepALaterCapWhenAnOlderCommandIsRolledBack() {
        executor.execute(stress("cmd-1"));
        executor.execute(command("cmd-2", Map.of(Strategies.PARAM_ADMIT_FRACTION, "0.1")).build());

        executor.execute(command("cmd-3", Map.of()).setAction(CommandAction.ROLLBACK).setRollbackOf("cmd-1").build());

        assertThat(gates.admitFraction("items", null, OperationClass.POINT)).isEqualTo(0.1);
    }

    @Test
    void shouldChangeNothingWhenItIsADryRun() {
        CommandAck ack = executor.execute(command("cmd-1", Map.of(Strategies.PARAM_ADMIT_FRACTION, "0.5"))
                .setDryRun(true).build());

        assertThat(ack.getStatus()).isEqualTo(AckStatus.APPLIED);
        assertThat(ack.getDryRun()).isTrue();
        assertThat(ack.getDetail()).startsWith("would ");
        assertThat(ack.getDetails()).containsEntry("admit_fraction", "0.5").containsEntry("bulk_admit_fraction", "0.4");
        assertThat(gates.admitFraction("items", null, OperationClass.POINT)).isEqualTo(1.0);
        assertThat(executor.activeCaps()).isEmpty();
    }

    @Test
    void shouldAckExpiredAndApplyNothingWhenTheCommandHasExpired() {
        CommandAck ack = executor.execute(command("cmd-1", Map.of(Strategies.PARAM_ADMIT_FRACTION, "0.5"))
                .setExpiresAtMillis(T0 - 1).build());

        assertThat(ack.getStatus()).isEqualTo(AckStatus.EXPIRED);
        assertThat(gates.admitFraction("items", null, OperationClass.POINT)).isEqualTo(1.0);
    }

    @Test
    void shouldFailNamingTheParamWhenAFractionIsInvalid() {
        for (String bad : new String[] {"NaN", "0", "-0.2", "1.5", "half"}) {
            CommandAck ack = executor.execute(command("cmd-" + bad, Map.of(Strategies.PARAM_ADMIT_FRACTION, bad)).build());
            assertThat(ack.getStatus()).as(bad).isEqualTo(AckStatus.FAILED);
            assertThat(ack.getDetail()).contains(Strategies.PARAM_ADMIT_FRACTION);
        }
        CommandAck missing = executor.execute(command("cmd-m", Map.of()).build());
        assertThat(missing.getDetail()).contains(Strategies.PARAM_ADMIT_FRACTION, "missing");
        CommandAck badBulk = executor.execute(command("cmd-b", Map.of(Strategies.PARAM_ADMIT_FRACTION, "0.5",
                Strategies.PARAM_BULK_ADMIT_FRACTION, "0")).build());
        assertThat(badBulk.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(badBulk.getDetail()).contains(Strategies.PARAM_BULK_ADMIT_FRACTION);
        assertThat(executor.activeCaps()).isEmpty();
    }

    @Test
    void shouldReinstallTheCapWhenRestoredAfterARestartUnlessExpired() {
        RemediationCommand applied = stress("cmd-1");
        IngestGates fresh = new IngestGates(SETTINGS, clock);
        ThrottleCommandExecutor restarted = new ThrottleCommandExecutor(fresh, "main", clock);

        restarted.restore(applied);
        assertThat(fresh.admitFraction("items", null, OperationClass.POINT)).isEqualTo(0.5);

        IngestGates later = new IngestGates(SETTINGS, clock);
        clock.advance(Duration.ofMinutes(11));
        new ThrottleCommandExecutor(later, "main", clock).restore(applied);
        assertThat(later.caps()).isEmpty();
    }

    @Test
    void shouldTakeTheLowerOfGateAndCapWhenBothThrottle() {
        gates.update("items", ApplyPacerTest.state("items",
                ApplyPacerTest.rule(io.ruvector.schemas.RiskLevel.LOW, io.ruvector.schemas.GateAction.THROTTLE, 0.8),
                ApplyPacerTest.rule(io.ruvector.schemas.RiskLevel.MEDIUM, io.ruvector.schemas.GateAction.THROTTLE, 0.3)));
        executor.execute(stress("cmd-1"));

        assertThat(gates.admitFraction("items", null, OperationClass.POINT)).isEqualTo(0.5);
        assertThat(gates.admitFraction("items", null, OperationClass.BULK)).isEqualTo(0.3);
    }

    @Test
    void shouldSlowASimulatedBulkLoadWhenACapIsInForce() {
        ApplyPacer unthrottled = new ApplyPacer(new IngestGates(SETTINGS, clock), SETTINGS, () -> 0);
        ApplyPacer capped = new ApplyPacer(gates, SETTINGS, () -> 0);
        executor.execute(stress("cmd-1"));

        long freeNanos = simulate(unthrottled);
        long cappedNanos = simulate(capped);

        // 20 batches of 500 changes, 10 ms each: bulk capped at 0.4 takes 1 / 0.4 of the time
        assertThat(freeNanos).isEqualTo(200_000_000L);
        assertThat((double) cappedNanos / freeNanos).isCloseTo(2.5, within(0.05));
        assertThat(capped.currentFraction()).isCloseTo(0.4, within(1e-9));
    }

    /** Total time of 20 batches of 500 changes taking 10 ms each, pauses included. */
    private static long simulate(ApplyPacer pacer) {
        long now = 0;
        for (int b = 0; b < 20; b++) {
            for (int i = 0; i < 500; i++) {
                pacer.count("items", null);
            }
            now += 10_000_000L;
            now += pacer.endBatch(10_000_000L, now);
        }
        return now;
    }
}
