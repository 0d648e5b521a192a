package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.GraphParamsLookup;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.topic.TopicNames;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partition rebuilt from its store and a graph snapshot written earlier: the rows unchanged
 * since keep their graph nodes (nothing re-linked), rows deleted, moved or added since are
 * reconciled, and the answers equal those of a partition rebuilt without any snapshot — exact
 * results identical, no deleted id, graph recall intact. A damaged or mismatched snapshot is
 * ignored, never trusted.
 */
class GraphSnapshotTest {

    private static final int ROWS = 3_000;
    private static final int DIMS = 16;
    private static final HnswSettings SETTINGS = HnswSettings.builder().exactBelowRows(100).build();

    /** The durable store: what the changelog would restore, in key order as RocksDB iterates it. */
    private final TreeMap<String, StoredRow> store = new TreeMap<>();
    private final Map<String, ByteBuffer> snapshots = new TreeMap<>();
    private PartitionIndex live;
    private ClusteredData data;
    private long lsn;
    private long seed;

    @BeforeEach
    void fill() throws IOException {
        seed = RandomVectors.seed("graph-snapshot");
        data = new ClusteredData(seed, 12, DIMS, 0.3);
        live = new PartitionIndex(SETTINGS, GraphParamsLookup.NONE);
        for (int i = 0; i < ROWS; i++) {
            apply(Changes.upsert("c", "r" + i, ++lsn, false, data.next(), Map.of("n", (long) i)));
        }
        live.linkPending(); // a snapshot changes nothing: the store links first, under its write lock
        live.writeSnapshots((collection, body) -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                body.writeTo(out);
            }
            snapshots.put(collection, ByteBuffer.wrap(bytes.toByteArray()));
        });
    }

    @Test
    void shouldKeepTheGraphNodesOfUnchangedRowsAndAnswerAsAFullRebuild() {
        SplittableRandom random = new SplittableRandom(seed);
        Set<String> deleted = new HashSet<>();
        Set<String> moved = new HashSet<>();
        for (int i = 0; i < ROWS; i++) { // after the snapshot: what a crash between two snapshots replays
            String id = "r" + i;
            switch (random.nextInt(20)) {
                case 0 -> {
                    apply(Changes.delete("c", id, ++lsn));
                    deleted.add(id);
                }
                case 1 -> {
                    apply(Changes.upsert("c", id, ++lsn, false, data.next(), Map.of("n", -1L)));
                    moved.add(id);
                }
                case 2 -> apply(Changes.metadata("c", id, ++lsn, Map.of("n", -2L)));
                default -> { }
            }
        }
        for (int i = 0; i < 300; i++) {
            apply(Changes.upsert("c", "new" + i, ++lsn, false, data.next(), Map.of("n", 0L)));
        }

        PartitionIndex loaded = rebuild(snapshots);
        PartitionIndex built = rebuild(Map.of());
        assertThat(live.unreachableGraphNodes("c")).as("graph nodes no search reaches, seed %d", seed).isZero();
        assertThat(loaded.unreachableGraphNodes("c")).as("after the load, seed %d", seed).isZero();

        assertThat(built.graphNodesLoaded()).isZero();
        assertThat(loaded.graphNodesLoaded()).as("seed %d", seed).isEqualTo(ROWS - deleted.size() - moved.size());
        int liveRows = ROWS - deleted.size() + 300;
        assertThat(loaded.count("c")).isEqualTo(liveRows).isEqualTo(built.count("c"));
        for (Map.Entry<String, StoredRow> row : store.entrySet()) {
            String id = row.getKey().substring(2);
            if (row.getValue() instanceof IndexedVector v) {
                IndexedVector got = loaded.get("c", id);
                assertThat(got).as(id).isNotNull();
                assertThat(got.vector()).isEqualTo(v.vector());
                assertThat(got.metadata()).isEqualTo(v.metadata());
                assertThat(got.lsn()).isEqualTo(v.lsn());
            } else {
                assertThat(loaded.get("c", id)).as(id).isNull();
            }
        }
        int found = 0;
        int queries = 0;
        for (StoredRow row : store.values()) {
            if (!(row instanceof IndexedVector v) || queries == 60) {
                continue;
            }
            queries++;
            KnnResult exactLoaded = loaded.search(KnnRequest.builder("c", v.vector()).k(10).exact(true).build());
            KnnResult exactBuilt = built.search(KnnRequest.builder("c", v.vector()).k(10).exact(true).build());
            assertThat(exactLoaded.ids()).isEqualTo(exactBuilt.ids());
            KnnResult graph = loaded.search(KnnRequest.builder("c", v.vector()).k(10).build());
            assertThat(graph.ids()).doesNotContainAnyElementsOf(deleted);
            Set<String> truth = new HashSet<>(exactLoaded.ids());
            found += (int) graph.ids().stream().filter(truth::contains).count();
        }
        assertThat(found / (10.0 * queries)).as("graph recall after a snapshot load, seed %d", seed).isGreaterThanOrEqualTo(0.95);
        for (String id : moved) { // a moved row is found at its new vector, by the graph too
            float[] vector = ((IndexedVector) store.get(TopicNames.vectorKey("c", id))).vector();
            assertThat(loaded.search(KnnRequest.builder("c", vector).k(1).build()).ids()).containsExactly(id);
        }
    }

    @Test
    void shouldRebuildWhenTheSnapshotIsDamagedOrForOtherParams() {
        ByteBuffer whole = snapshots.get("c");
        ByteBuffer truncated = ByteBuffer.wrap(java.util.Arrays.copyOf(whole.array(), whole.capacity() / 2));
        PartitionIndex fromDamaged = rebuild(Map.of("c", truncated));
        assertThat(fromDamaged.graphNodesLoaded()).isZero();
        assertThat(fromDamaged.count("c")).isEqualTo(ROWS);

        GraphParamsLookup other = collection -> Optional.of(new GraphParams(8, 32, Metric.L2));
        PartitionIndex otherParams = new PartitionIndex(SETTINGS, other);
        otherParams.beginRestore(Map.of("c", snapshots.get("c").duplicate()));
        store.values().forEach(otherParams::load);
        otherParams.endRestore();
        assertThat(otherParams.graphNodesLoaded()).isZero();
        assertThat(otherParams.stats("c").m()).isEqualTo(8);
        assertThat(otherParams.count("c")).isEqualTo(ROWS);
    }

    @Test
    void shouldRebuildFromASnapshotOfAnOlderFormatAndRefuseANewerOne() {
        for (int version : new int[] {2, 99}) {
            byte[] bytes = snapshots.get("c").array().clone();
            ByteBuffer.wrap(bytes).putInt(Integer.BYTES, version); // the format's version follows the magic
            PartitionIndex rebuilt = rebuild(Map.of("c", ByteBuffer.wrap(bytes)));
            assertThat(rebuilt.graphNodesLoaded()).as("format %d", version).isZero();
            assertThat(rebuilt.count("c")).isEqualTo(ROWS);
        }
        assertThat(rebuild(Map.of("c", snapshots.get("c").duplicate())).graphNodesLoaded()).as("this format").isEqualTo(ROWS);
    }

    @Test
    void shouldForgetASnapshotWhenTheStoreHoldsNoneOfItsRows() {
        store.clear();
        PartitionIndex index = rebuild(snapshots);
        assertThat(index.collections()).as("a snapshot alone is no data").isEmpty();
        assertThat(index.apply(Changes.upsert("c", "x", 1, 1f, 2f))).isInstanceOf(ApplyRules.Apply.class);
        assertThat(index.count("c")).as("rows of any dimension are welcome again").isEqualTo(1);
    }

    @Test
    void shouldIgnoreASnapshotOfOtherDimensionsThanTheStoredRows() {
        store.clear(); // the collection registered again with vector(4)
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 500; i++) {
            float[] v = {random.nextFloat(), random.nextFloat(), random.nextFloat(), random.nextFloat()};
            store.put(TopicNames.vectorKey("c", "r" + i), new IndexedVector("c", "r" + i, null, v, Map.of(), i + 1, false));
        }
        PartitionIndex index = rebuild(snapshots);
        assertThat(index.graphNodesLoaded()).isZero();
        assertThat(index.count("c")).isEqualTo(500);
        float[] query = ((IndexedVector) store.get(TopicNames.vectorKey("c", "r7"))).vector();
        assertThat(index.search(KnnRequest.builder("c", query).k(1).build()).ids()).containsExactly("r7");
    }

    /**
     * Writing a snapshot changes nothing (it runs under the partition's read lock, beside searches
     * and possibly a second writer): with rows waiting to be linked it refuses instead of linking
     * them, and the rows stay pending for the store's next commit, which links them under the write lock.
     */
    @Test
    void shouldRefuseToSnapshotRowsNotYetLinkedInsteadOfLinkingThem() throws IOException {
        for (int i = 0; i < 10; i++) {
            apply(Changes.upsert("c", "late" + i, ++lsn, false, data.next(), Map.of()));
        }
        assertThat(live.hasPending()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> live.writeSnapshots((collection, body) ->
                        body.writeTo(new DataOutputStream(new ByteArrayOutputStream()))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("10 rows wait to be linked");
        assertThat(live.hasPending()).as("nothing linked by the snapshot").isTrue();
        assertThat(live.linkPending()).isEqualTo(10);
        assertThat(live.hasPending()).isFalse();
        live.writeSnapshots((collection, body) -> body.writeTo(new DataOutputStream(new ByteArrayOutputStream())));
    }

    private void apply(VectorChange change) {
        if (live.apply(change) instanceof ApplyRules.Apply(StoredRow row)) {
            store.put(TopicNames.vectorKey(row.collection(), row.id()), row);
        }
    }

    private PartitionIndex rebuild(Map<String, ByteBuffer> from) {
        PartitionIndex index = new PartitionIndex(SETTINGS, GraphParamsLookup.NONE);
        Map<String, ByteBuffer> copies = new TreeMap<>();
        from.forEach((c, b) -> copies.put(c, b.duplicate()));
        index.beginRestore(copies);
        List<StoredRow> rows = new ArrayList<>(store.values());
        rows.forEach(index::load);
        index.endRestore();
        return index;
    }
}
