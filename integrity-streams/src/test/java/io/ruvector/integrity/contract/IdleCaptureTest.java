package io.ruvector.integrity.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.integrity.Fixtures;
import io.ruvector.integrity.graph.EdgeType;
import io.ruvector.schemas.CdcStats;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.SampleSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdleCaptureTest {

    private static ContractedGraph withCdc(CdcStats cdc) {
        List<IntegritySample> samples = Fixtures.healthy("c", null, 0);
        samples.stream().filter(s -> s.getSource() == SampleSource.CDC).forEach(s -> s.setCdc(cdc));
        // idle, even partitions: the routing link shows the capture's part alone
        samples.forEach(s -> s.getPartitions().forEach(p -> {
            p.setLagRecords(0L);
            p.setLagMillis(0L);
            p.setApplyP99Micros(0L);
            p.setQueryP99Micros(0L);
            p.setVectorCount(100_000L);
            p.setAppliedPerSecond(0.0);
        }));
        return new ContractedGraphBuilder(GraphBudgets.DEFAULTS).build(Telemetry.merge(samples));
    }

    @Test
    void shouldGiveRoutingCapacityOneWhenTheSlotIsIdleDespiteAStaleCaptureDelay() {
        // the reported case: 192 bytes of watermarks in the slot, 11,480 ms left over from the bulk load
        ContractedGraph g = withCdc(new CdcStats(192L, 11_480L, 0L, 1.0, false));

        assertThat(g.graph().edges()).filteredOn(e -> e.type() == EdgeType.ROUTING_LINK).hasSize(12)
                .allSatisfy(e -> assertThat(e.capacity()).isEqualTo(1.0));
    }

    @Test
    void shouldGiveRoutingCapacityOneWhenTheCaptureReportsNoLagInTime() {
        ContractedGraph g = withCdc(new CdcStats(192L, 0L, 0L, 1.0, false));

        assertThat(g.graph().edges()).filteredOn(e -> e.type() == EdgeType.ROUTING_LINK)
                .allSatisfy(e -> assertThat(e.capacity()).isEqualTo(1.0));
    }

    @Test
    void shouldStillCountTheCaptureDelayWhenTheSlotHoldsPendingWal() {
        ContractedGraph g = withCdc(new CdcStats(50L << 20, 15_000L, 0L, 1.0, false));

        assertThat(g.graph().edges()).filteredOn(e -> e.type() == EdgeType.ROUTING_LINK)
                .allSatisfy(e -> assertThat(e.capacity()).isLessThanOrEqualTo(0.5));
    }

    @Test
    void shouldCountOnlyTheHeldWalWhileTheCaptureIsThrottled() {
        // a throttle holds changes in the slot on purpose: their age is its effect, their WAL still counts
        ContractedGraph throttled = withCdc(new CdcStats(50L << 20, 15_000L, 0L, 0.5, false));
        ContractedGraph nearTheGuard = withCdc(new CdcStats(900L << 20, 15_000L, 0L, 0.5, false));

        assertThat(throttled.graph().edges()).filteredOn(e -> e.type() == EdgeType.ROUTING_LINK)
                .allSatisfy(e -> assertThat(e.capacity()).isGreaterThan(0.9));
        assertThat(nearTheGuard.graph().edges()).filteredOn(e -> e.type() == EdgeType.ROUTING_LINK)
                .allSatisfy(e -> assertThat(e.capacity()).isLessThan(0.2));
    }
}
