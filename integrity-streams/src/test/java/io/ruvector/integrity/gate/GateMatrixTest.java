package io.ruvector.integrity.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.RiskLevel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GateMatrixTest {

    private final GateMatrix matrix = GateMatrix.DEFAULTS;

    @Test
    void shouldAllowEverythingWhenNormal() {
        for (Operation op : Operation.values()) {
            assertThat(matrix.decide(IntegrityLevel.NORMAL, op)).as("%s", op).isEqualTo(GateDecision.ALLOW);
        }
    }

    @Test
    void shouldFollowTheArchitectureMatrixWhenStressedOrCritical() {
        assertThat(matrix.decide(IntegrityLevel.STRESS, RiskLevel.LOW)).isEqualTo(new GateDecision.Allow());
        assertThat(matrix.decide(IntegrityLevel.STRESS, RiskLevel.MEDIUM)).isEqualTo(new GateDecision.Throttle(0.5));
        assertThat(matrix.decide(IntegrityLevel.STRESS, RiskLevel.HIGH))
                .isEqualTo(new GateDecision.Defer(Duration.ofSeconds(300)));
        assertThat(matrix.decide(IntegrityLevel.CRITICAL, RiskLevel.LOW)).isEqualTo(new GateDecision.Throttle(0.8));
        assertThat(matrix.decide(IntegrityLevel.CRITICAL, RiskLevel.MEDIUM))
                .isEqualTo(new GateDecision.Defer(Duration.ofSeconds(60)));
        assertThat(matrix.decide(IntegrityLevel.CRITICAL, RiskLevel.HIGH)).isEqualTo(new GateDecision.Reject());
    }

    @Test
    void shouldClassifyOperationsByRiskWhenParsed() {
        assertThat(Operation.parse("search").risk()).isEqualTo(RiskLevel.LOW);
        assertThat(Operation.parse("insert")).isEqualTo(Operation.POINT_INSERT);
        assertThat(Operation.parse("point_delete").risk()).isEqualTo(RiskLevel.LOW);
        assertThat(Operation.parse("bulk_insert")).isEqualTo(Operation.BULK_INSERT);
        assertThat(Operation.parse(" Bulk-Delete ")).isEqualTo(Operation.BULK_DELETE);
        assertThat(Operation.parse("centroid update").risk()).isEqualTo(RiskLevel.MEDIUM);
        assertThat(Operation.parse("index_rebuild").risk()).isEqualTo(RiskLevel.HIGH);
        assertThat(Operation.parse("REBALANCE").risk()).isEqualTo(RiskLevel.HIGH);
        assertThat(Operation.parse("shard_move").risk()).isEqualTo(RiskLevel.HIGH);
    }

    @Test
    void shouldTreatUnknownOperationsAsMediumRiskWhenParsed() {
        Operation op = Operation.parse("defragment_everything");

        assertThat(op).isEqualTo(Operation.UNKNOWN);
        assertThat(matrix.decide(IntegrityLevel.STRESS, op)).isEqualTo(new GateDecision.Throttle(0.5));
        assertThat(matrix.decide(IntegrityLevel.CRITICAL, op)).isEqualTo(new GateDecision.Defer(Duration.ofSeconds(60)));
    }

    @Test
    void shouldListBlockedAndThrottledOperationsPerState() {
        assertThat(matrix.blocked(IntegrityLevel.NORMAL)).isEmpty();
        assertThat(matrix.blocked(IntegrityLevel.STRESS)).containsExactly(Operation.INDEX_REBUILD, Operation.COMPACTION,
                Operation.TIER_DEMOTION, Operation.SHARD_MOVE, Operation.REBALANCE);
        assertThat(matrix.throttled(IntegrityLevel.STRESS)).containsExactly(Operation.BULK_INSERT,
                Operation.BULK_DELETE, Operation.UPDATE, Operation.CENTROID_UPDATE);
        assertThat(matrix.throttled(IntegrityLevel.CRITICAL)).containsExactly(Operation.SEARCH, Operation.READ,
                Operation.POINT_INSERT, Operation.POINT_DELETE);
        assertThat(matrix.blocked(IntegrityLevel.CRITICAL)).hasSize(9);
    }

    @Test
    void shouldApplyConfiguredNumbersWhenTheMatrixIsCustomised() {
        GateMatrix custom = new GateMatrix(0.9, 0.25, Duration.ofSeconds(5), Duration.ofSeconds(7));

        assertThat(custom.decide(IntegrityLevel.CRITICAL, RiskLevel.LOW)).isEqualTo(new GateDecision.Throttle(0.9));
        assertThat(custom.decide(IntegrityLevel.STRESS, RiskLevel.HIGH))
                .isEqualTo(new GateDecision.Defer(Duration.ofSeconds(7)));
        assertThat(new GateDecision.Throttle(0.25).admits()).isTrue();
        assertThat(new GateDecision.Reject().admits()).isFalse();
    }
}
