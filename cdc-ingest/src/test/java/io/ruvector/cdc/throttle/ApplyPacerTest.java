package io.ruvector.cdc.throttle;

import io.ruvector.schemas.EffectiveIntegrityPolicy;
import io.ruvector.schemas.GateAction;
import io.ruvector.schemas.GateRule;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.RiskLevel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ApplyPacerTest {

    private static final ThrottleSettings SETTINGS = new ThrottleSettings(100, 0.1, Duration.ofSeconds(10), 1_000_000);

    static IntegrityState state(String scope, GateRule... gates) {
        String[] parts = scope.split("/", 2);
        return IntegrityState.newBuilder().setScope(scope).setCollection(parts[0]).setTenant(parts.length > 1 ? parts[1] : null)
                .setState(IntegrityLevel.STRESS).setSinceMillis(0L).setLastSampleMillis(0L).setLambda(0.5).setLambdaCut(1.0)
                .setPolicy(EffectiveIntegrityPolicy.newBuilder().setThresholdHigh(0.8).setThresholdLow(0.3)
                        .setSamplesToStress(3).setSamplesToCritical(2).setRecoveryHoldSeconds(300L).setRecoveryMargin(0.1)
                        .setCooldownSeconds(60L).setLagBudgetRecords(10_000L).setLagBudgetMillis(30_000L)
                        .setLatencyBudgetMicros(50_000L).setStandbyLagBudgetRecords(10_000L).setErrorRateBudget(0.05)
                        .setLoadSkewBudget(3.0).setSource("default").build())
                .setGates(List.of(gates)).build();
    }

    static GateRule rule(RiskLevel risk, GateAction action, double fraction) {
        return GateRule.newBuilder().setRisk(risk).setAction(action).setAdmitFraction(fraction).setDeferMillis(0L).build();
    }

    @Test
    void shouldNotPauseWithoutGates() {
        ApplyPacer pacer = new ApplyPacer(new IngestGates(SETTINGS), SETTINGS, () -> 0);
        for (int i = 0; i < 500; i++) {
            pacer.count("items", null);
        }
        assertThat(pacer.endBatch(1_000_000)).isZero();
        assertThat(pacer.currentFraction()).isEqualTo(1.0);
    }

    @Test
    void shouldPauseABulkBatchSoThatItsRateIsTheGatesFraction() {
        IngestGates gates = new IngestGates(SETTINGS);
        gates.update("items", state("items", rule(RiskLevel.LOW, GateAction.ALLOW, 1), rule(RiskLevel.MEDIUM, GateAction.THROTTLE, 0.5)));
        ApplyPacer pacer = new ApplyPacer(gates, SETTINGS, () -> 0);
        for (int i = 0; i < 500; i++) {
            pacer.count("items", null);
        }
        long pause = pacer.endBatch(10_000_000);
        // 500 changes in 10 ms + pause = half the rate: the pause equals the batch time
        assertThat(pause).isEqualTo(10_000_000);
        assertThat(pacer.currentFraction()).isCloseTo(0.5, within(1e-9));
        // a small batch right after a bulk one is the same load: still paced
        for (int i = 0; i < 3; i++) {
            pacer.count("items", null);
        }
        assertThat(pacer.endBatch(10_000_000)).isPositive();
    }

    @Test
    void shouldLetPointWritesThroughUnlessABulkLoadOfTheCollectionRanWithinASecond() {
        IngestGates gates = new IngestGates(SETTINGS);
        gates.update("items", state("items", rule(RiskLevel.LOW, GateAction.ALLOW, 1), rule(RiskLevel.MEDIUM, GateAction.THROTTLE, 0.5)));
        ApplyPacer pacer = new ApplyPacer(gates, SETTINGS, () -> 0);
        count(pacer, "items", 3);
        assertThat(pacer.endBatch(10_000_000, 1_000_000_000L)).as("point writes are low risk").isZero();
        count(pacer, "items", 500);
        assertThat(pacer.endBatch(10_000_000, 2_000_000_000L)).isPositive();
        count(pacer, "items", 3);
        assertThat(pacer.endBatch(10_000_000, 2_500_000_000L)).as("within a second of a bulk batch").isPositive();
        count(pacer, "items", 3);
        assertThat(pacer.endBatch(10_000_000, 9_000_000_000L)).as("long after").isZero();
    }

    @Test
    void shouldPauseOnlyForTheThrottledShareOfAMixedBatch() {
        IngestGates gates = new IngestGates(SETTINGS);
        gates.update("hot", state("hot", rule(RiskLevel.MEDIUM, GateAction.THROTTLE, 0.25)));
        ApplyPacer pacer = new ApplyPacer(gates, SETTINGS, () -> 0);
        for (int i = 0; i < 200; i++) {
            pacer.count("hot", null);
            pacer.count("cold", null);
        }
        // half the batch at x = 0.25 costs 4x: pause = T * 0.5 * 3
        assertThat(pacer.endBatch(8_000_000)).isEqualTo(12_000_000);
    }

    @Test
    void shouldUseTheTenantsGateWhenItIsStricterAndTheFloorForDeferAndReject() {
        IngestGates gates = new IngestGates(SETTINGS);
        gates.update("items", state("items", rule(RiskLevel.MEDIUM, GateAction.THROTTLE, 0.5)));
        gates.update("items/acme", state("items/acme", rule(RiskLevel.MEDIUM, GateAction.DEFER, 0)));
        assertThat(gates.admitFraction("items", "acme", OperationClass.BULK)).isEqualTo(0.1);
        assertThat(gates.admitFraction("items", "other", OperationClass.BULK)).isEqualTo(0.5);
        assertThat(gates.admitFraction("items", null, OperationClass.POINT)).isEqualTo(1.0);
        gates.update("items/acme", null);
        assertThat(gates.admitFraction("items", "acme", OperationClass.BULK)).isEqualTo(0.5);
    }

    @Test
    void shouldLiftTheThrottleWhileTheSlotHoldsTooMuchWal() {
        IngestGates gates = new IngestGates(SETTINGS);
        gates.update("items", state("items", rule(RiskLevel.MEDIUM, GateAction.THROTTLE, 0.5)));
        AtomicLong lag = new AtomicLong(2_000_000);
        ApplyPacer pacer = new ApplyPacer(gates, SETTINGS, lag::get);
        for (int i = 0; i < 500; i++) {
            pacer.count("items", null);
        }
        assertThat(pacer.endBatch(10_000_000)).isZero();
        assertThat(pacer.currentFraction()).isEqualTo(1.0);
        lag.set(10);
        for (int i = 0; i < 500; i++) {
            pacer.count("items", null);
        }
        assertThat(pacer.endBatch(10_000_000)).isEqualTo(10_000_000);
    }

    @Test
    void shouldPaceToTheFractionOfTheLearnedCapacity() {
        IngestGates gates = new IngestGates(SETTINGS);
        ApplyPacer pacer = new ApplyPacer(gates, SETTINGS, () -> 0);
        long now = 0;
        for (int b = 0; b < 21; b++) { // unthrottled bulk: 1000 changes every 100 ms = 10,000/s, two windows
            now += 100_000_000;
            count(pacer, "items", 1000);
            assertThat(pacer.endBatch(20_000_000, now)).isZero();
        }
        assertThat(pacer.capacityPerSecond()).isCloseTo(10_000, within(1.0));
        gates.update("items", state("items", rule(RiskLevel.MEDIUM, GateAction.THROTTLE, 0.5)));
        now += 100_000_000;
        count(pacer, "items", 1000);
        // 1000 changes at 5,000/s take 200 ms; 100 ms have passed since the last batch
        assertThat(pacer.endBatch(20_000_000, now)).isEqualTo(100_000_000);
        assertThat(pacer.capacityPerSecond()).as("not learned while throttled").isCloseTo(10_000, within(1.0));
    }

    private static void count(ApplyPacer pacer, String collection, int n) {
        for (int i = 0; i < n; i++) {
            pacer.count(collection, null);
        }
    }

    @Test
    void shouldCapThePause() {
        IngestGates gates = new IngestGates(SETTINGS);
        gates.update("items", state("items", rule(RiskLevel.MEDIUM, GateAction.REJECT, 0)));
        ApplyPacer pacer = new ApplyPacer(gates, SETTINGS, () -> 0);
        for (int i = 0; i < 500; i++) {
            pacer.count("items", null);
        }
        assertThat(pacer.endBatch(5_000_000_000L)).isEqualTo(Duration.ofSeconds(10).toNanos());
    }
}
