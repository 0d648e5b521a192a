package io.ruvector.integrity.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ruvector.integrity.Fixtures;
import io.ruvector.integrity.graph.Edge;
import io.ruvector.integrity.graph.EdgeType;
import io.ruvector.integrity.graph.NodeRef;
import io.ruvector.integrity.graph.OperationalGraph;
import io.ruvector.integrity.lambda.IntegrityReading;
import io.ruvector.integrity.lambda.LambdaMeter;
import io.ruvector.integrity.lambda.LambdaSettings;
import io.ruvector.integrity.mincut.JGraphTOracle;
import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ContractedGraphBuilderTest {

    private static final NodeRef BAD = ContractedGraphBuilder.partition(5);

    private final LambdaMeter meter = new LambdaMeter(LambdaSettings.DEFAULTS);

    @Test
    void shouldBuildEveryNodeAndReadHealthyWhenReferenceCollectionIsHealthy() {
        ContractedGraph contracted = build(Fixtures.healthy("c", null, 0), GraphBudgets.DEFAULTS);
        OperationalGraph g = contracted.graph();

        // ingest + 12 partitions + 2 instances + 12 standbys + 64 centroids + 2 jobs
        assertThat(g.nodeCount()).isEqualTo(1 + 12 + 2 + 12 + 64 + 2);
        assertThat(g.node(0)).isEqualTo(ContractedGraphBuilder.INGEST);
        assertThat(count(g, EdgeType.PARTITION_LINK)).isEqualTo(12 * 11 / 2);
        assertThat(count(g, EdgeType.ROUTING_LINK)).isEqualTo(12);
        assertThat(count(g, EdgeType.SHARD_LINK)).isEqualTo(12);
        assertThat(count(g, EdgeType.REPLICATION)).isEqualTo(12);
        assertThat(count(g, EdgeType.CENTROID_ROUTE)).isEqualTo(64 * 12);
        assertThat(count(g, EdgeType.DEPENDENCY)).isEqualTo(2);
        assertThat(meter.measure(g).lambda()).isGreaterThan(0.95);
    }

    @Test
    void shouldCutOffTheLaggingPartitionWhenItsLagExceedsTheBudget() {
        assertBadPartitionIsCutOff(p -> p.setLagRecords(20_000L));
    }

    @Test
    void shouldCutOffTheSlowPartitionWhenItsP99ExceedsTheLatencyBudget() {
        assertBadPartitionIsCutOff(p -> p.setQueryP99Micros(120_000L));
    }

    @Test
    void shouldCutOffTheHotPartitionWhenItsLoadIsSkewed() {
        assertBadPartitionIsCutOff(p -> p.setAppliedPerSecond(10_000.0));
    }

    @Test
    void shouldCutOffTheFailingPartitionWhenItsErrorRateExceedsTheBudget() {
        assertBadPartitionIsCutOff(p -> p.setErrorRate(0.2));
    }

    private void assertBadPartitionIsCutOff(Consumer<PartitionStats> badness) {
        List<IntegritySample> samples = Fixtures.withPartition(Fixtures.healthy("c", null, 0), 5, badness);
        ContractedGraph contracted = build(samples, GraphBudgets.DEFAULTS);
        IntegrityReading reading = meter.measure(contracted.graph());
        OperationalGraph g = contracted.graph();

        assertThat(contracted.partitionHealth().get(5).health()).isZero();
        assertThat(reading.lambda()).isLessThan(0.8);
        assertThat(reading.lambdaCut()).isCloseTo(JGraphTOracle.minCutValue(g), within(1e-9));
        assertThat(reading.witnessEdges()).allSatisfy(e -> assertThat(List.of(g.node(e.source()), g.node(e.target())))
                .contains(BAD));
        assertThat(reading.witnessEdges()).filteredOn(e -> e.type() == EdgeType.PARTITION_LINK).hasSize(11);
        assertThat(reading.witnessEdges()).extracting(Edge::type).contains(EdgeType.ROUTING_LINK, EdgeType.SHARD_LINK);
    }

    @Test
    void shouldReportTheReplicationEdgeWhenAStandbyLags() {
        List<IntegritySample> samples = Fixtures.withPartition(Fixtures.healthy("c", null, 0), 3,
                p -> p.getStandbys().getFirst().setLagRecords(9_000L));
        IntegrityReading reading = meter.measure(build(samples, GraphBudgets.DEFAULTS).graph());

        assertThat(reading.lambda()).isCloseTo(0.1, within(1e-9));
        assertThat(reading.witnessEdges()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EdgeType.REPLICATION);
            assertThat(reading.graph().node(e.target()).id()).startsWith("3@");
        });
    }

    @Test
    void shouldReportTheDependencyEdgeWhenAMaintenanceJobOverruns() {
        List<IntegritySample> samples = Fixtures.healthy("c", null, 0);
        samples.getFirst().getMaintenanceJobs().getFirst().setOverrunning(true);
        IntegrityReading reading = meter.measure(build(samples, GraphBudgets.DEFAULTS).graph());

        assertThat(reading.lambda()).isCloseTo(ContractedGraphBuilder.DEGRADED_DEPENDENCY, within(1e-9));
        assertThat(reading.witnessEdges()).singleElement().extracting(Edge::type).isEqualTo(EdgeType.DEPENDENCY);
    }

    @Test
    void shouldCutOffTheIngestWhenTheCaptureIsBehindItsBudget() {
        List<IntegritySample> samples = Fixtures.healthy("c", null, 0);
        samples.stream().filter(s -> s.getSource() == SampleSource.CDC).forEach(s -> s.getCdc().setSlotLagMillis(60_000L));
        IntegrityReading reading = meter.measure(build(samples, GraphBudgets.DEFAULTS).graph());

        // every routing link at the floor: isolating the ingest costs 12 × 0.01
        assertThat(reading.lambdaCut()).isCloseTo(0.12, within(1e-9));
        assertThat(reading.witnessEdges()).hasSize(12).extracting(Edge::type).containsOnly(EdgeType.ROUTING_LINK);
    }

    @Test
    void shouldComputePartitionHealthFromTheLargestBudgetShareWhenSeveralQuantitiesAreHigh() {
        PartitionStats p = PartitionStats.newBuilder().setPartition(0).setHost("h").setLagRecords(5_000L)
                .setLagMillis(3_000L).setApplyP99Micros(35_000L).setErrorRate(0.01).build();
        PartitionHealth health = PartitionHealth.of(p, new PartitionHealth.LoadMeans(0, 0), GraphBudgets.DEFAULTS);

        assertThat(health.lag()).isCloseTo(0.5, within(1e-12));      // 5000 / 10000 beats 3000 / 30000
        assertThat(health.latency()).isCloseTo(0.4, within(1e-12));  // (35 ms / 50 ms - 0.5) / 0.5: half the budget is headroom
        assertThat(health.errors()).isCloseTo(0.2, within(1e-12));   // 1 % / 5 %
        assertThat(health.skew()).isZero();                          // no mean load
        assertThat(health.health()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void shouldScoreLatencyWithinHalfTheBudgetAsNormalWork() {
        assertThat(PartitionHealth.latencyShare(11_000, 50_000)).isZero();
        assertThat(PartitionHealth.latencyShare(25_000, 50_000)).isZero();
        assertThat(PartitionHealth.latencyShare(37_500, 50_000)).isCloseTo(0.5, within(1e-12));
        assertThat(PartitionHealth.latencyShare(50_000, 50_000)).isCloseTo(1.0, within(1e-12));
        assertThat(PartitionHealth.latencyShare(120_000, 50_000)).isGreaterThan(1.0); // clamped by the health
    }

    @Test
    void shouldLowerHealthWithLoadAboveTheMeanWhenSkewed() {
        PartitionStats p = PartitionStats.newBuilder().setPartition(0).setHost("h").setVectorCount(200).build();
        PartitionHealth health = PartitionHealth.of(p, new PartitionHealth.LoadMeans(100, 0), GraphBudgets.DEFAULTS);

        // twice the mean with a skew budget of 3: half of the budget used
        assertThat(health.skew()).isCloseTo(0.5, within(1e-12));
        assertThat(health.health()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void shouldPenaliseOversizedAndLooseCentroidsOnlyWhenComputingCentroidHealth() {
        int k = 10;
        CentroidStats ideal = new CentroidStats("a", 0.1, 1.0, List.of());
        CentroidStats small = new CentroidStats("b", 0.02, 1.0, List.of());
        CentroidStats big = new CentroidStats("c", 0.2, 1.0, List.of());
        CentroidStats loose = new CentroidStats("d", 0.1, 2.0, List.of());

        assertThat(CentroidHealth.of(ideal, k, 1.0, GraphBudgets.DEFAULTS)).isEqualTo(1.0);
        assertThat(CentroidHealth.of(small, k, 1.0, GraphBudgets.DEFAULTS)).isEqualTo(1.0);
        assertThat(CentroidHealth.of(big, k, 1.0, GraphBudgets.DEFAULTS)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(CentroidHealth.of(loose, k, 1.0, GraphBudgets.DEFAULTS)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void shouldDropTheHealthiestCentroidsWhenTheNodeBudgetIsExceeded() {
        List<IntegritySample> samples = Fixtures.healthy("c", null, 0);
        List<CentroidStats> centroids = samples.getFirst().getCentroids();
        centroids.get(17).setSizeShare(centroids.get(17).getSizeShare() * 3); // the least healthy one
        GraphBudgets tight = new GraphBudgets(10_000, 30_000, 50_000, 10_000, 0.05, 3.0, 1L << 30, 4.0, 256, 50);

        ContractedGraph contracted = build(samples, tight);

        assertThat(contracted.graph().nodeCount()).isEqualTo(50);
        assertThat(contracted.droppedCentroids()).isEqualTo(93 - 50);
        assertThat(contracted.graph().indexOf(ContractedGraphBuilder.centroid("c17"))).isNotNegative();
    }

    @Test
    void shouldBuildALoneIngestNodeWhenNoIndexSampleArrived() {
        List<IntegritySample> cdcOnly = Fixtures.healthy("c", null, 0).stream()
                .filter(s -> s.getSource() == SampleSource.CDC).toList();
        ContractedGraph contracted = build(cdcOnly, GraphBudgets.DEFAULTS);

        assertThat(contracted.graph().nodeCount()).isEqualTo(1);
        assertThat(meter.measure(contracted.graph()).lambda()).isEqualTo(1.0);
    }

    private static ContractedGraph build(List<IntegritySample> samples, GraphBudgets budgets) {
        return new ContractedGraphBuilder(budgets).build(Telemetry.merge(samples));
    }

    private static long count(OperationalGraph g, EdgeType type) {
        return g.edges().stream().filter(e -> e.type() == type).count();
    }
}
