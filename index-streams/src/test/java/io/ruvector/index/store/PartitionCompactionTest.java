package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.telemetry.MaintenanceJobs;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.topic.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorIndexStore#compact}: deleted graph nodes go whatever the cleanup fraction, searches
 * stay right, and tombstones are purged only behind the watermark and outside the retention window,
 * from the index and the changelogged store alike.
 */
class PartitionCompactionTest {

    private static final int DIMS = 16;
    private static final long NOW = 1_700_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final HnswSettings SETTINGS = HnswSettings.builder().exactBelowRows(100).build();
    private final GraphMaintenance maintenance = GraphMaintenance.manual();
    private final KeyValueStore<String, byte[]> inner = TestStores.inner("compaction");
    private final VectorIndexStore store = TestStores.open(inner, SETTINGS, maintenance, new MaintenanceJobs());

    @AfterEach
    void close() {
        store.close();
        maintenance.close();
    }

    @Test
    void shouldLeaveFewDeletedNodesAndExactResultsWhenFortyPercentOfRowsWereDeleted() {
        long seed = RandomVectors.seed("compaction");
        ClusteredData data = new ClusteredData(seed, 8, DIMS, 0.3);
        Map<String, float[]> live = new LinkedHashMap<>();
        long lsn = 0;
        for (int i = 0; i < 1_000; i++) {
            float[] v = data.next();
            store.apply(Changes.upsert("c", "r" + i, ++lsn, v));
            live.put("r" + i, v);
        }
        store.flush(); // a commit links the loaded rows into the graph (a row deleted before is never linked)
        for (int i = 0; i < 1_000; i += 5) { // 2 of every 5 rows: 40 %
            store.apply(Changes.delete("c", "r" + i, ++lsn));
            store.apply(Changes.delete("c", "r" + (i + 1), ++lsn));
            live.remove("r" + i);
            live.remove("r" + (i + 1));
        }
        store.advanceWatermark(lsn);
        assertThat(deletedFraction(store.stats("c"))).isCloseTo(0.4, org.assertj.core.data.Offset.offset(0.01));

        PartitionCompaction done = store.compact("c", NOW - HOUR, Duration.ofMillis(50));

        assertThat(done.removedNodes()).isEqualTo(400);
        assertThat(deletedFraction(store.stats("c"))).isLessThan(0.05);
        int found = 0;
        for (int q = 0; q < 20; q++) {
            float[] query = data.next();
            List<String> truth = bruteForce(live, query, 10);
            assertThat(store.search(KnnRequest.builder("c", query).metric(io.ruvector.schemas.Metric.L2).k(10).exact(true).build()).ids())
                    .as("exact search, seed %d", seed).containsExactlyElementsOf(truth);
            Set<String> graph = new HashSet<>(store.search(KnnRequest.builder("c", query).metric(io.ruvector.schemas.Metric.L2).k(10).efSearch(200).build()).ids());
            found += (int) truth.stream().filter(graph::contains).count();
        }
        assertThat(found / 200.0).as("graph recall after compaction, seed %d", seed).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void shouldPurgeOnlyTombstonesBehindTheWatermarkAndOutsideRetentionWhenCompacting() {
        store.apply(Changes.upsert("c", "old", 1, 1f, 0f));
        store.apply(Changes.upsert("c", "recent", 2, 0f, 1f));
        store.apply(Changes.upsert("c", "ahead", 3, 1f, 1f));
        store.apply(deleteAt("old", 10, NOW - 2 * HOUR));
        store.apply(deleteAt("recent", 11, NOW - 10 * 60_000));
        store.apply(deleteAt("ahead", 50, NOW - 2 * HOUR));
        store.advanceWatermark(40); // the delete of "ahead" (LSN 50) is not behind the watermark

        PartitionCompaction done = store.compact("c", NOW - HOUR, Duration.ofMillis(50));

        assertThat(done.purgedTombstones()).isEqualTo(1);
        assertThat(done.keptTombstones()).isEqualTo(2);
        assertThat(store.stats("c").tombstones()).isEqualTo(2);
        assertThat(inner.get(TopicNames.vectorKey("c", "old"))).as("deleted from the changelogged store").isNull();
        assertThat(inner.get(TopicNames.vectorKey("c", "recent"))).isNotNull();
        assertThat(inner.get(TopicNames.vectorKey("c", "ahead"))).isNotNull();
        // Within retention the tombstone still stops a replayed older upsert.
        assertThat(store.apply(Changes.upsert("c", "recent", 2, 0f, 1f)))
                .isEqualTo(new ApplyRules.Drop(ApplyRules.DropReason.REPLAY));
        assertThat(store.get("c", "recent")).isEmpty();
    }

    @Test
    void shouldKeepTombstonesOfUnknownAgeWhenCompacting() {
        PartitionIndex index = new PartitionIndex();
        index.load(new Tombstone("c", "legacy", 5, false));
        index.load(new Tombstone("c", "dated", 6, false, NOW - 2 * HOUR));
        index.advanceWatermark(10);

        assertThat(index.purgeableTombstones("c", NOW - HOUR)).extracting(Tombstone::id).containsExactly("dated");
    }

    @Test
    void shouldNotPurgeATombstoneWhenALaterChangeReplacedItAfterItWasListed() {
        PartitionIndex index = new PartitionIndex();
        index.load(new Tombstone("c", "1", 5, false, 0));
        index.advanceWatermark(10);
        Tombstone listed = index.purgeableTombstones("c", NOW).getFirst();
        index.load(new Tombstone("c", "1", 7, false, 1));

        assertThat(index.purge(listed)).isFalse();
        assertThat(index.stats("c").tombstones()).isEqualTo(1);
    }

    @Test
    void shouldSkipCollectionsThatTheFilterRefusesWhenCleaningUp() {
        long lsn = 0;
        for (int i = 0; i < 200; i++) {
            store.apply(Changes.upsert("c", "r" + i, ++lsn, i, 1f));
        }
        for (int i = 0; i < 100; i++) {
            store.apply(Changes.delete("c", "r" + i, ++lsn));
        }
        assertThat(store.cleanupGraphs(collection -> false)).isZero();
        assertThat(store.stats("c").deletedGraphNodes()).isEqualTo(100);
        assertThat(store.cleanupGraphs(collection -> true)).isEqualTo(100);
    }

    private static VectorChange deleteAt(String id, long lsn, long commitMillis) {
        return VectorChange.newBuilder(Changes.delete("c", id, lsn)).setCommitTimeMicros(commitMillis * 1_000).build();
    }

    private static double deletedFraction(CollectionStats stats) {
        return (double) stats.deletedGraphNodes() / (stats.liveRows() + stats.deletedGraphNodes());
    }

    private static List<String> bruteForce(Map<String, float[]> rows, float[] query, int k) {
        List<Map.Entry<String, float[]>> all = new ArrayList<>(rows.entrySet());
        all.sort(Comparator.comparingDouble(e -> l2(e.getValue(), query)));
        return all.subList(0, k).stream().map(Map.Entry::getKey).toList();
    }

    private static double l2(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }
}
