package io.ruvector.healing.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ruvector.schemas.HealingOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightLearnerTest {

    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long NOW = 100 * DAY;
    private static final String THROTTLE = "throttle_ingestion";
    private static final String REBALANCE = "rebalance_partitions";

    private static OutcomeRecord outcome(String strategy, long at, boolean success, boolean verified,
                                         double improvement) {
        return new OutcomeRecord(strategy, "hotspot_congestion", at, success, verified, improvement);
    }

    @Test
    void shouldWeighSuccessRateTimesOnePlusMeanImprovementWhenOutcomesAreScripted() {
        WeightLearner l = new WeightLearner();
        // 3 of 4 verified; improvements 0.4, 0.2, 0.2, -0.2 → mean 0.15; 0.75 × 1.15 = 0.8625.
        l.record(outcome(THROTTLE, NOW - DAY, true, true, 0.4));
        l.record(outcome(THROTTLE, NOW - 2 * DAY, true, true, 0.2));
        l.record(outcome(THROTTLE, NOW - 3 * DAY, true, true, 0.2));
        l.record(outcome(THROTTLE, NOW - 4 * DAY, false, false, -0.2));
        l.prune(NOW);

        assertThat(l.weight(THROTTLE)).isCloseTo(0.8625, within(1e-9));
        assertThat(l.weights(NOW)).containsOnlyKeys(THROTTLE);
        assertThat(l.weights(NOW).get(THROTTLE)).isCloseTo(0.8625, within(1e-9));
        assertThat(l.weight(REBALANCE)).isEqualTo(1.0);
    }

    @Test
    void shouldClampToTheCeilingWhenEveryOutcomeImprovesGreatly() {
        WeightLearner l = new WeightLearner();
        l.record(outcome(THROTTLE, NOW, true, true, 1.5)); // 1 × 2.5

        assertThat(l.weights(NOW)).containsEntry(THROTTLE, 2.0);
    }

    @Test
    void shouldClampToTheFloorWhenNothingWasVerified() {
        WeightLearner l = new WeightLearner();
        l.record(outcome(THROTTLE, NOW, false, false, 0.0)); // 0 × 1

        assertThat(l.weights(NOW)).containsEntry(THROTTLE, 0.1);
        l.prune(NOW);
        assertThat(l.weight(THROTTLE)).isEqualTo(0.1);
    }

    @Test
    void shouldWeighOneWhenNothingWasLearned() {
        WeightLearner l = new WeightLearner();
        l.prune(NOW);

        assertThat(l.weight(THROTTLE)).isEqualTo(1.0);
        assertThat(l.weights(NOW)).isEmpty();
        assertThat(l.effectiveness(NOW)).isEmpty();
    }

    @Test
    void shouldForgetOutcomesOlderThanThirtyDaysWhenPruned() {
        WeightLearner l = new WeightLearner();
        l.record(outcome(THROTTLE, NOW - 31 * DAY, false, false, 0.0));
        l.record(outcome(THROTTLE, NOW - 29 * DAY, true, true, 0.5));

        // Before pruning, both count: 0.5 × 1.25.
        assertThat(l.weight(THROTTLE)).isCloseTo(0.625, within(1e-9));
        assertThat(l.weights(NOW)).containsEntry(THROTTLE, 1.5);

        l.prune(NOW);

        assertThat(l.outcomes()).hasSize(1);
        assertThat(l.weight(THROTTLE)).isEqualTo(1.5);
        l.prune(NOW + 2 * DAY);
        assertThat(l.outcomes()).isEmpty();
        assertThat(l.weight(THROTTLE)).isEqualTo(1.0);
    }

    @Test
    void shouldLowerTheWeightWhenAppliedButNotVerified() {
        WeightLearner verified = new WeightLearner();
        WeightLearner unverified = new WeightLearner();
        verified.record(outcome(THROTTLE, NOW, true, true, 0.2));
        verified.record(outcome(THROTTLE, NOW, true, true, 0.2));
        unverified.record(outcome(THROTTLE, NOW, true, true, 0.2));
        unverified.record(outcome(THROTTLE, NOW, true, false, 0.2));

        assertThat(verified.weights(NOW).get(THROTTLE)).isCloseTo(1.2, within(1e-9));
        assertThat(unverified.weights(NOW).get(THROTTLE)).isCloseTo(0.6, within(1e-9));
    }

    @Test
    void shouldKeepWeightsAtOneButStillRecordWhenLearningIsDisabled() {
        WeightLearner l = new WeightLearner(WeightLearner.DEFAULT_WINDOW, false);
        l.record(outcome(THROTTLE, NOW, false, false, 0.0));
        l.prune(NOW);

        assertThat(l.weight(THROTTLE)).isEqualTo(1.0);
        assertThat(l.weights(NOW)).containsEntry(THROTTLE, 1.0);
        assertThat(l.outcomes()).hasSize(1);

        l.setLearningEnabled(true);

        assertThat(l.weight(THROTTLE)).isEqualTo(0.1);
    }

    @Test
    void shouldNotLearnFromDryRunsWhenConvertedFromAnOutcome() {
        WeightLearner l = new WeightLearner();
        HealingOutcome.Builder b = HealingOutcome.newBuilder().setOutcomeId("r1").setCollection("docs")
                .setProblemClass("hotspot_congestion").setStrategy(THROTTLE).setStartedAtMillis(NOW - 60_000)
                .setCompletedAtMillis(NOW).setDurationMillis(60_000).setSuccess(true).setVerified(true)
                .setLambdaBefore(0.4).setLambdaAfter(0.6).setImprovement(0.5);

        assertThat(l.record(OutcomeRecord.from(b.setDryRun(true).build()))).isFalse();
        assertThat(l.outcomes()).isEmpty();

        OutcomeRecord real = OutcomeRecord.from(b.setDryRun(false).build());
        assertThat(l.record(real)).isTrue();
        assertThat(real).isEqualTo(new OutcomeRecord(THROTTLE, "hotspot_congestion", NOW, true, true, 0.5, 60_000,
                false));
        assertThat(l.weights(NOW)).containsEntry(THROTTLE, 1.5);
    }

    @Test
    void shouldReportPerStrategyEffectivenessWhenAsked() {
        WeightLearner l = new WeightLearner();
        l.record(new OutcomeRecord(THROTTLE, "hotspot_congestion", NOW - DAY, true, true, 0.3, 40_000, false));
        l.record(new OutcomeRecord(THROTTLE, "memory_pressure", NOW, true, false, -0.1, 80_000, false));
        l.record(outcome(REBALANCE, NOW - 40 * DAY, true, true, 0.5)); // outside the window

        List<StrategyEffectiveness> e = l.effectiveness(NOW);

        assertThat(e).hasSize(1);
        StrategyEffectiveness t = e.get(0);
        assertThat(t.strategy()).isEqualTo(THROTTLE);
        assertThat(t.attempts()).isEqualTo(2);
        assertThat(t.verified()).isEqualTo(1);
        assertThat(t.successRate()).isEqualTo(0.5);
        assertThat(t.meanImprovement()).isCloseTo(0.1, within(1e-9));
        assertThat(t.weight()).isCloseTo(0.55, within(1e-9));
        assertThat(t.meanDurationMillis()).isEqualTo(60_000);
        assertThat(t.lastCompletedAtMillis()).isEqualTo(NOW);
    }

    @Test
    void shouldTreatANonFiniteImprovementAsUnmeasuredWhenRecorded() {
        WeightLearner l = new WeightLearner();
        l.record(outcome(THROTTLE, NOW, true, true, Double.NaN));

        assertThat(l.weights(NOW)).isEqualTo(Map.of(THROTTLE, 1.0));
    }
}
