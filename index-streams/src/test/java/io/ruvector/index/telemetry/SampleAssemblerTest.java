package io.ruvector.index.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ruvector.index.query.CollectionStats;
import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.InstanceStats;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.MaintenanceJobStats;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.StandbyStats;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link SampleAssembler}: each field of a sample from given measurements. */
class SampleAssemblerTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final String HOST = "index-1:8080";

    @Test
    void shouldFillEachPartitionFromItsStatsActivityLagAndStandbys() {
        ActivityWindow busy = new ActivityWindow(40, 1, 10, 1, Map.of("c", 30L, "other", 5L),
                new LatencySummary(40, 12, 90, 120), new LatencySummary(10, 300, 800, 900), (NOW - 2_500) * 1_000);
        SampleAssembler.Round round = round(Map.of(0, busy), Map.of(0, 250L, 1, 0L),
                Map.of(0, List.of(new StandbyStats("index-2:8080", 0L))), List.of());
        Map<Integer, CollectionStats> stats = new TreeMap<>(Map.of(
                0, new CollectionStats("c", 900, 100, 3, 77, 4_000, 6_000, true, 16, 64, Metric.L2, 0),
                1, new CollectionStats("c", 50, 0, 0, 77, 800, 0, false, 0, 0, null, 0)));

        IntegritySample sample = SampleAssembler.assemble(round, "c", stats, List.of());

        assertThat(sample.getCollection()).isEqualTo("c");
        assertThat(sample.getSource()).isEqualTo(SampleSource.INDEX);
        assertThat(sample.getInstanceId()).isEqualTo(HOST);
        assertThat(sample.getSampledAtMillis()).isEqualTo(NOW);
        assertThat(sample.getTenant()).isNull();
        assertThat(sample.getCdc()).isNull();
        assertThat(sample.getInstances()).containsExactly(new InstanceStats(HOST, 0.5, 800L));
        PartitionStats p0 = sample.getPartitions().get(0);
        assertThat(p0.getPartition()).isZero();
        assertThat(p0.getVectorCount()).isEqualTo(900);
        assertThat(p0.getAppliedPerSecond()).isCloseTo(3.0, within(1e-9)); // 30 stored in a 10 s window
        assertThat(p0.getLagRecords()).isEqualTo(250);
        assertThat(p0.getLagMillis()).isEqualTo(2_500);
        assertThat(p0.getApplyP50Micros()).isEqualTo(12);
        assertThat(p0.getApplyP99Micros()).isEqualTo(90);
        assertThat(p0.getQueryP50Micros()).isEqualTo(300);
        assertThat(p0.getQueryP99Micros()).isEqualTo(800);
        assertThat(p0.getErrorRate()).isCloseTo(2.0 / 50, within(1e-12));
        assertThat(p0.getDeletedFraction()).isCloseTo(0.1, within(1e-12)); // 100 of 1,000 graph nodes
        assertThat(p0.getMemoryBytes()).isEqualTo(10_000);
        assertThat(p0.getHost()).isEqualTo(HOST);
        assertThat(p0.getStandbys()).containsExactly(new StandbyStats("index-2:8080", 0L));

        PartitionStats p1 = sample.getPartitions().get(1);
        assertThat(p1.getPartition()).isEqualTo(1);
        assertThat(p1.getAppliedPerSecond()).as("idle in the window").isZero();
        assertThat(p1.getLagMillis()).isZero();
        assertThat(p1.getDeletedFraction()).as("no graph, no graph nodes").isZero();
        assertThat(p1.getErrorRate()).isZero();
        assertThat(p1.getStandbys()).isEmpty();
    }

    @Test
    void shouldReportLagAgeOnlyWhenThePartitionIsBehindAndHasAppliedSomething() {
        assertThat(SampleAssembler.lagMillis(0, (NOW - 60_000) * 1_000, NOW)).isZero();
        assertThat(SampleAssembler.lagMillis(5, ActivityWindow.NO_COMMIT, NOW)).isZero();
        assertThat(SampleAssembler.lagMillis(5, (NOW - 60_000) * 1_000, NOW)).isEqualTo(60_000);
        assertThat(SampleAssembler.lagMillis(5, (NOW + 1_000) * 1_000, NOW)).as("clock skew").isZero();
    }

    @Test
    void shouldListTheJobsOnTheCollectionsPartitionsWithInstanceIdsAndOverruns() {
        List<RunningJob> jobs = List.of(new RunningJob("rebuild-p0-4", JobKind.REBUILD, 0, 45_000),
                new RunningJob("compaction-p1-5", JobKind.COMPACTION, 1, 200),
                new RunningJob("compaction-p7-6", JobKind.COMPACTION, 7, 200));
        Map<Integer, CollectionStats> stats = Map.of(
                0, new CollectionStats("c", 1, 0, 0, 0, 0, 0, false, 0, 0, null, 0),
                1, new CollectionStats("c", 1, 0, 0, 0, 0, 0, false, 0, 0, null, 0));
        List<CentroidStats> centroids = List.of(new CentroidStats("c0", 1.0, 0.5, List.of(0, 1)));

        IntegritySample sample = SampleAssembler.assemble(round(Map.of(), Map.of(), Map.of(), jobs), "c",
                new TreeMap<>(stats), centroids);

        assertThat(sample.getMaintenanceJobs()).containsExactly(
                new MaintenanceJobStats(HOST + "/rebuild-p0-4", "rebuild", "RUNNING", 45_000L, true, List.of(0)),
                new MaintenanceJobStats(HOST + "/compaction-p1-5", "compaction", "RUNNING", 200L, false, List.of(1)));
        assertThat(sample.getCentroids()).isEqualTo(centroids);
    }

    @Test
    void shouldReportPausedJobsAndOverrunsAgainstTheirEstimateWhenTheJobHasOne() {
        List<RunningJob> jobs = List.of(
                new RunningJob("compaction-p0-1", JobKind.COMPACTION, 0, 1_500, "c", JobState.PAUSED, 1_000),
                new RunningJob("compaction-p0-2", JobKind.COMPACTION, 0, 500, "c", JobState.RUNNING, 1_000),
                new RunningJob("compaction-p0-3", JobKind.COMPACTION, 0, 500, "other", JobState.RUNNING, 0),
                new RunningJob("rebuild-p-1-4", JobKind.REBUILD, -1, 10, "c", JobState.RUNNING, 0));
        Map<Integer, CollectionStats> stats = new TreeMap<>(Map.of(
                0, new CollectionStats("c", 1, 0, 0, 0, 0, 0, false, 0, 0, null, 0)));

        IntegritySample sample = SampleAssembler.assemble(round(Map.of(), Map.of(), Map.of(), jobs), "c", stats,
                List.of());

        assertThat(sample.getMaintenanceJobs()).containsExactly(
                new MaintenanceJobStats(HOST + "/compaction-p0-1", "compaction", "PAUSED", 1_500L, true, List.of(0)),
                new MaintenanceJobStats(HOST + "/compaction-p0-2", "compaction", "RUNNING", 500L, false, List.of(0)),
                new MaintenanceJobStats(HOST + "/rebuild-p-1-4", "rebuild", "RUNNING", 10L, false, List.of(0)));
    }

    private static SampleAssembler.Round round(Map<Integer, ActivityWindow> activity, Map<Integer, Long> lag,
                                               Map<Integer, List<StandbyStats>> standbys, List<RunningJob> jobs) {
        return new SampleAssembler.Round(NOW, 10_000, HOST, activity, lag, standbys, new InstanceStats(HOST, 0.5, 800L),
                jobs, 30_000);
    }
}
