package io.ruvector.index.maintenance;

import io.ruvector.schemas.EffectiveIntegrityPolicy;
import io.ruvector.schemas.GateAction;
import io.ruvector.schemas.GateRule;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.RiskLevel;
import java.util.List;

/** Builds {@link IntegrityState}s for tests. */
final class States {

    private States() {
    }

    /** The state of {@code scope} (collection {@code collection}) whose high-risk gate answers {@code high}. */
    static IntegrityState state(String scope, String collection, IntegrityLevel level, GateAction high) {
        return IntegrityState.newBuilder()
                .setScope(scope).setCollection(collection).setState(level)
                .setSinceMillis(0).setLastSampleMillis(0).setLambda(0.5).setLambdaCut(1.0)
                .setPolicy(EffectiveIntegrityPolicy.newBuilder()
                        .setThresholdHigh(0.8).setThresholdLow(0.3).setSamplesToStress(3).setSamplesToCritical(2)
                        .setRecoveryHoldSeconds(300).setRecoveryMargin(0.1).setCooldownSeconds(60)
                        .setLagBudgetRecords(1_000).setLagBudgetMillis(10_000).setLatencyBudgetMicros(50_000)
                        .setStandbyLagBudgetRecords(1_000).setErrorRateBudget(0.01).setLoadSkewBudget(2.0)
                        .setSource("default").build())
                .setGates(List.of(
                        new GateRule(RiskLevel.LOW, GateAction.ALLOW, 1.0, 0L),
                        new GateRule(RiskLevel.HIGH, high, high == GateAction.ALLOW ? 1.0 : 0.0, 300_000L)))
                .build();
    }
}
