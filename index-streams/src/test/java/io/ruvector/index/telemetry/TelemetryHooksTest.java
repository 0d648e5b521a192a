package io.ruvector.index.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.query.KnnQuery;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.SampleQuery;
import io.ruvector.index.store.Changes;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.VectorType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the processor and the store report while the real topology runs: applies, drops and
 * errors per partition and collection, kNN query time and failures, and maintenance jobs.
 */
class TelemetryHooksTest {

    private final DriverIndex index = new DriverIndex(HnswSettings.builder().exactBelowRows(20).build(),
            System::nanoTime);

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void shouldCountStoredChangesPerCollectionAndOnlyUnusableOnesAsErrors() {
        index.vectors.pipeInput("a/1", Changes.upsert("a", "1", 10, 1f, 0f));
        index.vectors.pipeInput("a/2", Changes.upsert("a", "2", 11, 0f, 1f));
        index.vectors.pipeInput("b/1", Changes.upsert("b", "1", 12, 1f, 2f, 3f));
        index.vectors.pipeInput("a/2", Changes.upsert("a", "2", 11, 0f, 1f)); // replay: dropped, no error
        index.vectors.pipeInput("a/3", Changes.upsert("a", "3", 13, 1f, 2f, 3f)); // wrong dimension: error
        VectorChange last = Changes.delete("a", "1", 14);
        last.setCommitTimeMicros(1_700_000_000_123_456L);
        index.vectors.pipeInput("a/1", last);

        ActivityWindow window = index.activity.drain().get(0);
        assertThat(window.applies()).isEqualTo(6);
        assertThat(window.failedApplies()).isEqualTo(1);
        assertThat(window.stored("a")).isEqualTo(3); // two inserts and the delete
        assertThat(window.stored("b")).isEqualTo(1);
        assertThat(window.applyLatency().count()).isEqualTo(6);
        assertThat(window.applyLatency().maxMicros()).isPositive();
        assertThat(window.lastCommitMicros()).isEqualTo(1_700_000_000_123_456L);
        assertThat(window.errorRate()).isEqualTo(1.0 / 6);

        ActivityWindow next = index.activity.drain().get(0);
        assertThat(next.applies()).as("a new window").isZero();
        assertThat(next.stored()).isEmpty();
        assertThat(next.lastCommitMicros()).as("a position, kept").isEqualTo(1_700_000_000_123_456L);
    }

    @Test
    void shouldTimeKnnQueriesAndCountFailedOnesWhenAskedThroughIqv2() {
        index.vectors.pipeInput("a/1", Changes.upsert("a", "1", 10, 1f, 0f));
        index.activity.drain();

        assertThat(index.query(new KnnQuery(KnnRequest.of("a", new float[] {1f, 0f}, 1, Metric.L2))).isSuccess()).isTrue();
        assertThat(index.query(new KnnQuery(KnnRequest.of("a", new float[] {1f, 0f}, 1, Metric.L2))).isSuccess()).isTrue();
        assertThat(index.query(new KnnQuery(KnnRequest.of("a", new float[] {1f}, 1, Metric.L2))).isFailure()).isTrue();
        assertThat(index.query(new SampleQuery("a", 5, 1)).isSuccess()).as("not a kNN query: not counted").isTrue();

        ActivityWindow window = index.activity.drain().get(0);
        assertThat(window.queries()).isEqualTo(3);
        assertThat(window.failedQueries()).isEqualTo(1);
        assertThat(window.queryLatency().count()).isEqualTo(3);
        assertThat(window.queryLatency().p99Micros()).isPositive();
        assertThat(window.applies()).isZero();
    }

    @Test
    void shouldCountForcedExactQueriesWithoutTheirLatency() {
        index.vectors.pipeInput("a/1", Changes.upsert("a", "1", 10, 1f, 0f));
        index.activity.drain();

        KnnRequest scan = KnnRequest.builder("a", new float[] {1f, 0f}).k(1).metric(Metric.L2).exact(true).build();
        KnnRequest wrongDims = KnnRequest.builder("a", new float[] {1f}).k(1).metric(Metric.L2).exact(true).build();
        assertThat(index.query(new KnnQuery(scan)).isSuccess()).isTrue();
        assertThat(index.query(new KnnQuery(wrongDims)).isFailure()).isTrue();
        assertThat(index.query(new KnnQuery(KnnRequest.of("a", new float[] {1f, 0f}, 1, Metric.L2))).isSuccess()).isTrue();

        ActivityWindow window = index.activity.drain().get(0);
        assertThat(window.queries()).as("scans are queries").isEqualTo(3);
        assertThat(window.failedQueries()).as("a failed scan is a failed query").isEqualTo(1);
        assertThat(window.queryLatency().count()).as("only the search that did not force a scan is timed").isEqualTo(1);
    }

    @Test
    void shouldReportRebuildsAndCompactionsToTheJobRegistryWhenTheyRun() {
        assertThat(index.jobs.finished(JobKind.REBUILD)).as("the first build, as the task started").isEqualTo(1);
        for (int i = 0; i < 40; i++) {
            index.vectors.pipeInput("a/" + i, Changes.upsert("a", Integer.toString(i), 10 + i, i, 1f, 2f));
        }
        assertThat(index.jobs.finished(JobKind.REBUILD)).as("applies use the built index").isEqualTo(1);

        index.driver.advanceWallClockTime(HnswSettings.DEFAULT.specRefreshInterval());
        assertThat(index.jobs.finished(JobKind.REBUILD)).as("no spec change, no rebuild").isEqualTo(1);
        index.collections.pipeInput("a", spec("a", 8, 32));
        index.driver.advanceWallClockTime(HnswSettings.DEFAULT.specRefreshInterval());
        assertThat(index.jobs.finished(JobKind.REBUILD)).as("the spec changed m: rebuilt").isEqualTo(2);

        assertThat(index.maintenance.runOnce()).as("nothing deleted yet").isZero();
        assertThat(index.jobs.finished(JobKind.COMPACTION)).isZero();
        for (int i = 0; i < 10; i++) {
            index.vectors.pipeInput("a/" + i, Changes.delete("a", Integer.toString(i), 100 + i));
        }
        assertThat(index.maintenance.runOnce()).isEqualTo(10);
        assertThat(index.jobs.finished(JobKind.COMPACTION)).isEqualTo(1);
        assertThat(index.jobs.running()).as("every job left when it ended").isEmpty();
    }

    @Test
    void shouldSampleDistinctLiveVectorsOnlyWhenAskedForASample() {
        for (int i = 0; i < 30; i++) {
            index.vectors.pipeInput("a/" + i, Changes.upsert("a", Integer.toString(i), 10 + i, i, -i));
        }
        for (int i = 0; i < 30; i += 3) {
            index.vectors.pipeInput("a/" + i, Changes.delete("a", Integer.toString(i), 100 + i));
        }
        List<float[]> sample = index.query(new SampleQuery("a", 12, 5)).getResult();
        assertThat(sample).hasSize(12);
        Set<Float> firsts = new HashSet<>();
        for (float[] v : sample) {
            assertThat((int) v[0] % 3).as("a deleted row").isNotZero();
            assertThat(v[1]).isEqualTo(-v[0]);
            firsts.add(v[0]);
        }
        assertThat(firsts).as("without replacement").hasSize(12);
        assertThat(index.query(new SampleQuery("a", 12, 5)).getResult().toArray(float[][]::new))
                .as("same seed, same sample").isDeepEqualTo(sample.toArray(float[][]::new));
        assertThat(index.query(new SampleQuery("a", 100, 5)).getResult()).as("all 20 live rows").hasSize(20);
        assertThat(index.query(new SampleQuery("nope", 5, 5)).getResult()).isEmpty();
    }

    private static CollectionSpec spec(String name, int m, int efConstruction) {
        return CollectionSpec.newBuilder().setName(name).setTable("public." + name).setIdColumn("id")
                .setVectorColumn("embedding").setVectorType(VectorType.VECTOR).setDimensions(3).setMetric(Metric.L2)
                .setTenantColumn(null).setMetadataColumns(List.of()).setHnswM(m).setHnswEfConstruction(efConstruction)
                .setPartitions(1).setCreatedAtMillis(0).build();
    }
}
