package io.ruvector.healing.classify;

import static io.ruvector.healing.classify.Fixtures.centroid;
import static io.ruvector.healing.classify.Fixtures.centroidRoute;
import static io.ruvector.healing.classify.Fixtures.dependency;
import static io.ruvector.healing.classify.Fixtures.index;
import static io.ruvector.healing.classify.Fixtures.job;
import static io.ruvector.healing.classify.Fixtures.observe;
import static io.ruvector.healing.classify.Fixtures.partition;
import static io.ruvector.healing.classify.Fixtures.partitionCut;
import static io.ruvector.healing.classify.Fixtures.replication;
import static io.ruvector.healing.classify.Fixtures.routing;
import static io.ruvector.healing.classify.Fixtures.shard;
import static io.ruvector.healing.classify.Fixtures.standby;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ruvector.healing.classify.ProblemClass.CentroidSkew;
import io.ruvector.healing.classify.ProblemClass.HotspotCongestion;
import io.ruvector.healing.classify.ProblemClass.IndexFragmentation;
import io.ruvector.healing.classify.ProblemClass.MaintenanceContention;
import io.ruvector.healing.classify.ProblemClass.MemoryPressure;
import io.ruvector.healing.classify.ProblemClass.ReplicationLag;
import io.ruvector.healing.classify.ProblemClass.Unknown;
import io.ruvector.schemas.CdcStats;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.WitnessEdge;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemClassifierTest {

    private static final long GIB = 1L << 30;

    /** A fixed fallback budget, so no test depends on the heap of the JVM running it. */
    private final ProblemClassifier classifier = new ProblemClassifier(ClassifierSettings.DEFAULTS, () -> 100 * GIB);

    private static IntegritySample fourPartitions() {
        return index(2_000, partition(0).build(), partition(1).build(), partition(2).build(),
                partition(3).setAppliedPerSecond(250.0).build(), partition(4).build()).build();
    }

    @Test
    void shouldFindHotspotWithTheCutOffPartitionWhenMoreThanThreePartitionLinksAreWitnesses() {
        // partition 3 cut off from 0, 1, 2, 4: four partition links, all touching 3.
        var o = observe(partitionCut(List.of(3), List.of(0, 1, 2, 4)), fourPartitions());

        ProblemClass p = classifier.classify(o);

        assertThat(p).isInstanceOf(HotspotCongestion.class);
        HotspotCongestion h = (HotspotCongestion) p;
        assertThat(h.partitions()).containsExactly(3);
        // mean apply rate (100 × 4 + 250) / 5 = 130: 250 / 130.
        assertThat(h.loadRatio()).isCloseTo(250.0 / 130.0, within(1e-9));
        assertThat(p.name()).isEqualTo("hotspot_congestion");
        assertThat(p.evidence()).containsEntry("partitions", "3").containsEntry("load_ratio", "1.9231")
                .containsEntry("cause", "partition_load");
        assertThat(h.backlog()).as("partitions overloaded against each other: what a rebalance fixes").isFalse();
    }

    @Test
    void shouldNotFindHotspotWhenExactlyThreePartitionLinksAreWitnesses() {
        var o = observe(partitionCut(List.of(3), List.of(0, 1, 2)), fourPartitions());

        assertThat(classifier.classify(o)).isInstanceOf(Unknown.class);
    }

    @Test
    void shouldPickTheMorePressedSideWhenTheCutSplitsPartitionsEvenly() {
        // {0,1} vs {2,3}: every partition touches two witness links, so only the load tells the hot side.
        var o = observe(partitionCut(List.of(2, 3), List.of(0, 1)), index(2_000,
                partition(0).build(), partition(1).build(),
                partition(2).setAppliedPerSecond(300.0).build(), partition(3).setAppliedPerSecond(300.0).build())
                .build());

        HotspotCongestion h = (HotspotCongestion) classifier.classify(o);

        assertThat(h.partitions()).containsExactly(2, 3);
    }

    @Test
    void shouldPreferHotspotWhenWitnessesAlsoSatisfyReplicationAndMaintenanceRules() {
        List<WitnessEdge> w = new ArrayList<>(partitionCut(List.of(3), List.of(0, 1, 2, 4)));
        w.add(replication(3, "host-b:8080"));
        w.add(dependency(0, "j1"));
        w.add(dependency(1, "j1"));
        w.add(dependency(2, "j1"));

        assertThat(classifier.classify(observe(w, fourPartitions()))).isInstanceOf(HotspotCongestion.class);
    }

    @Test
    void shouldClassifyBacklogAsHotspotWithTheLaggingPartitionsWhenRoutingWitnessesLeadToLag() {
        // Routing links to 1, 2 and 3; 1 lags 2.5× its record budget, 3 1.5× its age budget, 2 is within budget.
        var o = observe(List.of(routing(1), routing(2), routing(3)), index(2_000,
                partition(0).setLagRecords(50_000).build(),
                partition(1).setLagRecords(25_000).build(),
                partition(2).setLagRecords(9_000).build(),
                partition(3).setLagMillis(45_000).build()).build());

        ProblemClass p = classifier.classify(o);

        assertThat(p).isInstanceOf(HotspotCongestion.class);
        HotspotCongestion h = (HotspotCongestion) p;
        // 0 lags most but has no routing witness edge: it is not part of this cut.
        assertThat(h.partitions()).containsExactly(1, 3);
        assertThat(h.loadRatio()).isCloseTo(2.5, within(1e-9));
        assertThat(h.backlog()).as("the ingest outruns the partitions: a throttle's case, not a rebalance's").isTrue();
        assertThat(p.evidence()).containsEntry("cause", "backlog");
    }

    @Test
    void shouldClassifyBacklogBeforeCentroidSkewWhenBothMatch() {
        List<WitnessEdge> w = new ArrayList<>(List.of(routing(1)));
        for (int c = 0; c < 6; c++) {
            w.add(centroidRoute("c" + c, 1));
        }
        var o = observe(w, index(2_000, partition(1).setLagRecords(20_000).build()).build());

        assertThat(classifier.classify(o)).isInstanceOf(HotspotCongestion.class);
    }

    @Test
    void shouldBeUnknownWhenRoutingWitnessesLeadToPartitionsWithinTheLagBudget() {
        // A slow CDC capture weakens all routing links, but the partitions are keeping up: not a backlog.
        IntegritySample cdc = IntegritySample.newBuilder().setCollection("docs").setSampledAtMillis(2_000)
                .setSource(SampleSource.CDC).setInstanceId("capture")
                .setCdc(CdcStats.newBuilder().setSlotLagBytes(1L << 30).setSlotLagMillis(90_000).setQueueDepth(5)
                        .build())
                .build();
        var o = observe(List.of(routing(0), routing(1)), index(2_000,
                partition(0).setLagRecords(10_000).setLagMillis(30_000).build(),
                partition(1).setLagRecords(100).build()).build(), cdc);

        ProblemClass p = classifier.classify(o);

        assertThat(p).isInstanceOf(Unknown.class);
        assertThat(((Unknown) p).witnessSummary()).isEqualTo("2 witness edges: routing_link=2");
    }

    @Test
    void shouldUseTheLagBudgetFractionWhenDecidingBacklog() {
        var o = observe(List.of(routing(0)), index(2_000, partition(0).setLagRecords(6_000).build()).build());
        var strict = new ProblemClassifier(new ClassifierSettings(3, 5, 2, 0.85, GIB, 0.30, 0.5));

        assertThat(classifier.classify(o)).isInstanceOf(Unknown.class);
        assertThat(strict.classify(o)).isInstanceOf(HotspotCongestion.class);
    }

    @Test
    void shouldFindCentroidSkewWhenMoreThanFiveCentroidsAreWitnessEndpoints() {
        List<WitnessEdge> w = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            w.add(centroidRoute("c" + c, c % 2));
        }
        w.add(centroidRoute("c0", 2)); // the same centroid twice counts once
        var o = observe(w, index(2_000, partition(0).build()).setCentroids(List.of(
                centroid("c0", 0.4), centroid("c1", 0.2), centroid("c2", 0.2), centroid("c3", 0.2))).build());

        ProblemClass p = classifier.classify(o);

        assertThat(p).isInstanceOf(CentroidSkew.class);
        CentroidSkew s = (CentroidSkew) p;
        assertThat(s.centroids()).containsExactly("c0", "c1", "c2", "c3", "c4", "c5");
        // mean share 0.25, largest 0.4.
        assertThat(s.skewFactor()).isCloseTo(1.6, within(1e-9));
        assertThat(p.evidence()).containsEntry("centroids", "c0,c1,c2,c3,c4,c5");
    }

    @Test
    void shouldNotFindCentroidSkewWhenOnlyFiveCentroidsAreWitnessEndpoints() {
        List<WitnessEdge> w = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            w.add(centroidRoute("c" + c, 0));
        }

        assertThat(classifier.classify(observe(w, fourPartitions()))).isInstanceOf(Unknown.class);
    }

    @Test
    void shouldPreferCentroidSkewWhenWitnessesAlsoHaveReplicationEdges() {
        List<WitnessEdge> w = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            w.add(centroidRoute("c" + c, 0));
        }
        w.add(replication(0, "host-b:8080"));

        assertThat(classifier.classify(observe(w, fourPartitions()))).isInstanceOf(CentroidSkew.class);
    }

    @Test
    void shouldFindReplicationLagWithStandbyLagWhenAnyReplicationEdgeIsAWitness() {
        var o = observe(List.of(replication(1, "host-b:8080"), replication(2, "host-c:8080")), index(2_000,
                partition(1).setStandbys(List.of(standby("host-b:8080", 7_000), standby("host-c:8080", 99))).build(),
                partition(2).setStandbys(List.of(standby("host-c:8080", 4_000))).build()).build());

        ProblemClass p = classifier.classify(o);

        assertThat(p).isInstanceOf(ReplicationLag.class);
        ReplicationLag r = (ReplicationLag) p;
        assertThat(r.standbys()).containsExactly("1@host-b:8080", "2@host-c:8080");
        assertThat(r.lagRecords()).isEqualTo(7_000);
    }

    @Test
    void shouldPreferReplicationLagWhenWitnessesAlsoHaveManyDependencyEdges() {
        var o = observe(List.of(replication(1, "host-b:8080"), dependency(0, "j1"), dependency(1, "j1"),
                dependency(2, "j2")), fourPartitions());

        assertThat(classifier.classify(o)).isInstanceOf(ReplicationLag.class);
    }

    @Test
    void shouldFindMaintenanceContentionWhenMoreThanTwoDependencyEdgesAreWitnesses() {
        var o = observe(List.of(dependency(0, "j1"), dependency(1, "j1"), dependency(2, "j2")),
                index(2_000, partition(0).build()).setMaintenanceJobs(List.of(job("j1"), job("j2"), job("j3")))
                        .build());

        ProblemClass p = classifier.classify(o);

        assertThat(p).isInstanceOf(MaintenanceContention.class);
        MaintenanceContention m = (MaintenanceContention) p;
        assertThat(m.jobs()).containsExactly("j1", "j2");
        assertThat(m.runningJobs()).isEqualTo(3);
    }

    @Test
    void shouldNotFindMaintenanceContentionWhenOnlyTwoDependencyEdgesAreWitnesses() {
        var o = observe(List.of(dependency(0, "j1"), dependency(1, "j1")), fourPartitions());

        assertThat(classifier.classify(o)).isInstanceOf(Unknown.class);
    }

    @Test
    void shouldFindMemoryPressureFromSamplesAloneWhenOverTheBudgetFraction() {
        var settings = new ClassifierSettings(3, 5, 2, 0.85, 10 * GIB, 0.30, 1.0);
        var o = observe(List.of(), index(2_000,
                partition(0).setMemoryBytes(5 * GIB).build(), partition(1).setMemoryBytes(4 * GIB).build()).build());

        ProblemClass p = new ProblemClassifier(settings).classify(o);

        assertThat(p).isInstanceOf(MemoryPressure.class);
        MemoryPressure m = (MemoryPressure) p;
        assertThat(m.usedBytes()).isEqualTo(9 * GIB);
        assertThat(m.budgetBytes()).isEqualTo(10 * GIB);
        assertThat(m.usedFraction()).isCloseTo(0.9, within(1e-9));
    }

    @Test
    void shouldCountAMovedPartitionOnceWhenTwoReportersListIt() {
        var settings = new ClassifierSettings(3, 5, 2, 0.85, 10 * GIB, 0.30, 1.0);
        // Partition 0 moved from host-a to host-b: only the newer report counts, 8 GiB is not over 8.5.
        IntegritySample old = index(1_000, partition(0).setMemoryBytes(4 * GIB).build()).build();
        IntegritySample fresh = index(2_000, partition(0).setMemoryBytes(4 * GIB).build(),
                partition(1).setMemoryBytes(4 * GIB).build()).setInstanceId("host-b:8080").build();

        assertThat(new ProblemClassifier(settings).classify(observe(List.of(), fresh, old)))
                .isInstanceOf(Unknown.class);
    }

    @Test
    void shouldUseTheFallbackBudgetWhenNoMemoryBudgetIsSet() {
        var o = observe(List.of(), index(2_000, partition(0).setMemoryBytes(90 * GIB).build()).build());

        ProblemClass p = classifier.classify(o);

        assertThat(p).isInstanceOf(MemoryPressure.class);
        assertThat(((MemoryPressure) p).budgetBytes()).isEqualTo(100 * GIB);
    }

    @Test
    void shouldPreferMemoryPressureWhenPartitionsAreAlsoFragmented() {
        var settings = new ClassifierSettings(3, 5, 2, 0.85, 10 * GIB, 0.30, 1.0);
        var o = observe(List.of(), index(2_000,
                partition(0).setMemoryBytes(9 * GIB).setDeletedFraction(0.5).build()).build());

        assertThat(new ProblemClassifier(settings).classify(o)).isInstanceOf(MemoryPressure.class);
    }

    @Test
    void shouldFindFragmentationWeightedByVectorsWhenAnyPartitionIsOverTheThreshold() {
        var o = observe(List.of(), index(2_000,
                partition(0).setVectorCount(1_000).setDeletedFraction(0.6).build(),
                partition(1).setVectorCount(3_000).setDeletedFraction(0.2).build(),
                partition(2).setVectorCount(1_000).setDeletedFraction(0.4).build()).build());

        ProblemClass p = classifier.classify(o);

        assertThat(p).isInstanceOf(IndexFragmentation.class);
        IndexFragmentation f = (IndexFragmentation) p;
        assertThat(f.partitions()).containsExactly(0, 2);
        // (600 + 600 + 400) / 5000.
        assertThat(f.deletedFraction()).isCloseTo(0.32, within(1e-9));
        assertThat(p.evidence()).containsEntry("partitions", "0,2").containsEntry("deleted_fraction", "0.3200");
    }

    @Test
    void shouldBeUnknownWithEdgeCountsWhenNoRuleMatches() {
        var o = observe(List.of(shard(0, "host-a:8080"), shard(1, "host-a:8080"), routing(0)), index(2_000,
                partition(0).setDeletedFraction(0.3).build(), partition(1).build()).build());

        ProblemClass p = classifier.classify(o);

        assertThat(p).isEqualTo(new Unknown("3 witness edges: routing_link=1, shard_link=2"));
        assertThat(p.name()).isEqualTo("unknown");
        assertThat(p.evidence()).containsEntry("witness_summary", "3 witness edges: routing_link=1, shard_link=2");
    }

    @Test
    void shouldBeUnknownWhenThereAreNeitherWitnessesNorSamples() {
        assertThat(classifier.classify(observe(List.of()))).isEqualTo(new Unknown("no witness edges"));
    }

    @Test
    void shouldListNamesInTheDocumentedOrderWhenAsked() {
        assertThat(ProblemClass.NAMES).containsExactly("hotspot_congestion", "centroid_skew", "replication_lag",
                "maintenance_contention", "memory_pressure", "index_fragmentation", "unknown");
        assertThat(List.of(new HotspotCongestion(List.of(), 0), new CentroidSkew(List.of(), 0),
                new ReplicationLag(List.of(), 0), new MaintenanceContention(List.of(), 0),
                new MemoryPressure(0, 0, 1), new IndexFragmentation(List.of(), 0), new Unknown(""))
                .stream().map(ProblemClass::name).toList()).isEqualTo(ProblemClass.NAMES);
    }
}
