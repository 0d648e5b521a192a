package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.query.SearchStrategy;
import io.ruvector.schemas.Metric;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The graph through deletes, updates, cleanup and ordinal reuse, on {@link CollectionIndex}
 * directly: deleted rows are never returned, an updated row is found only at its new vector,
 * cleanup removes the deleted nodes, and recall holds once their ordinals are reused.
 */
class GraphLifecycleTest {

    private static final int ROWS = 2_000;
    private static final int DIMS = 24;
    private static final HnswSettings SETTINGS = HnswSettings.builder().exactBelowRows(100).build();

    private CollectionIndex index;
    private ClusteredData data;
    private final Map<String, float[]> live = new LinkedHashMap<>();
    private long seed;
    private long lsn;

    @BeforeEach
    void fill() {
        seed = RandomVectors.seed("graph-lifecycle");
        data = new ClusteredData(seed, 10, DIMS, 0.3);
        index = new CollectionIndex("c", DIMS, new GraphParams(16, 64, Metric.L2), SETTINGS);
        for (int i = 0; i < ROWS; i++) {
            put(Integer.toString(i), data.next(), Map.of());
        }
        index.linkPending(); // what the store's flush does before each commit
        assertThat(index.graph()).isNotNull();
        assertThat(index.graph().nodes()).isEqualTo(ROWS);
    }

    @Test
    void shouldNeverReturnADeletedRowWhenSearchingTheGraph() {
        List<String> deleted = deleteRandom(ROWS * 2 / 5);
        assertThat(index.graph().deletedNodes()).isEqualTo(deleted.size());
        for (String id : deleted.subList(0, 50)) { // the deleted row's own vector: it would come first at distance 0
            float[] query = vectorOf(id, deleted);
            KnnResult result = search(KnnRequest.builder("c", query).k(50).efSearch(200).build());
            assertThat(result.strategies()).containsExactly(SearchStrategy.GRAPH);
            assertThat(result.ids()).as("seed %d", seed).hasSize(50).doesNotContainAnyElementsOf(deleted)
                    .allMatch(live::containsKey);
        }
    }

    @Test
    void shouldFindAnUpdatedRowOnlyAtItsNewVectorWhenItMoved() {
        List<String> moved = new ArrayList<>(live.keySet()).subList(0, 100);
        Map<String, float[]> old = new LinkedHashMap<>();
        for (String id : moved) {
            old.put(id, live.get(id));
            float[] far = data.next();
            for (int i = 0; i < DIMS; i++) {
                far[i] += 50; // a region no other row is near
            }
            put(id, far, Map.of("moved", true));
        }
        assertThat(index.size()).isEqualTo(ROWS);
        assertThat(index.retiredCount()).isEqualTo(moved.size());
        for (String id : moved) {
            KnnResult atOld = search(KnnRequest.builder("c", old.get(id)).k(10).build());
            assertThat(atOld.ids()).as("seed %d", seed).doesNotContain(id);
            KnnResult atNew = search(KnnRequest.builder("c", live.get(id)).k(1).build());
            assertThat(atNew.strategies()).containsExactly(SearchStrategy.GRAPH);
            assertThat(atNew.ids()).containsExactly(id);
            assertThat(atNew.hits().getFirst().distance()).isZero();
            assertThat(atNew.hits().getFirst().metadata()).isEqualTo(Map.of("moved", true));
        }
    }

    @Test
    void shouldKeepTheGraphNodeWhenOnlyMetadataChanges() {
        String id = live.keySet().iterator().next();
        put(id, live.get(id), Map.of("tag", "x"));
        assertThat(index.retiredCount()).isZero();
        assertThat(index.graph().nodes()).isEqualTo(ROWS);
        assertThat(search(KnnRequest.builder("c", live.get(id)).k(1).build()).hits().getFirst().metadata())
                .isEqualTo(Map.of("tag", "x"));
    }

    @Test
    void shouldRemoveDeletedNodesAndReuseTheirOrdinalsWhenCleanedUp() {
        List<String> few = deleteRandom(ROWS / 20); // 5%: below the 10% cleanup fraction
        assertThat(index.needsCleanup(SETTINGS.cleanupDeletedFraction())).isFalse();
        List<String> deleted = new ArrayList<>(few);
        deleted.addAll(deleteRandom(ROWS / 5));
        assertThat(index.needsCleanup(SETTINGS.cleanupDeletedFraction())).isTrue();

        assertThat(index.removeDeletedNodes()).isEqualTo(deleted.size());
        assertThat(index.retiredCount()).isZero();
        assertThat(index.graph().deletedNodes()).isZero();
        assertThat(index.graph().nodes()).isEqualTo(ROWS - deleted.size());

        for (int i = 0; i < deleted.size(); i++) {
            put("new-" + i, data.next(), Map.of());
        }
        assertThat(index.highWater()).as("every freed ordinal reused").isEqualTo(ROWS);
        assertThat(index.graph().nodes() + index.pendingCount()).isEqualTo(ROWS);
        double recall = 0;
        int queries = 100;
        for (int q = 0; q < queries; q++) {
            float[] query = data.next();
            KnnResult exact = search(KnnRequest.builder("c", query).k(10).exact(true).build());
            KnnResult graph = search(KnnRequest.builder("c", query).k(10).build());
            assertThat(graph.ids()).doesNotContainAnyElementsOf(deleted);
            Set<String> truth = new HashSet<>(exact.ids());
            recall += graph.ids().stream().filter(truth::contains).count() / 10.0;
        }
        System.out.printf("graph-lifecycle recall@10 after cleanup and reuse=%.4f%n", recall / queries);
        assertThat(recall / queries).as("seed %d", seed).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void shouldBuildTheGraphAnewFromTheLiveRowsWhenMostNodesAreDeleted() {
        List<String> deleted = deleteRandom(ROWS * 3 / 4); // rows handed to other partitions, say
        io.ruvector.index.graph.VectorGraph before = index.graph();

        assertThat(index.removeDeletedNodes()).isEqualTo(deleted.size());

        assertThat(index.graph()).as("built anew").isNotSameAs(before);
        assertThat(index.retiredCount()).isZero();
        assertThat(index.graph().deletedNodes()).isZero();
        assertThat(index.graph().nodes()).isEqualTo(ROWS - deleted.size());
        double recall = 0;
        int queries = 100;
        for (int q = 0; q < queries; q++) {
            float[] query = data.next();
            Set<String> truth = new HashSet<>(search(KnnRequest.builder("c", query).k(10).exact(true).build()).ids());
            KnnResult graph = search(KnnRequest.builder("c", query).k(10).build());
            assertThat(graph.strategies()).containsExactly(SearchStrategy.GRAPH);
            assertThat(graph.ids()).doesNotContainAnyElementsOf(deleted);
            recall += graph.ids().stream().filter(truth::contains).count() / 10.0;
        }
        assertThat(recall / queries).as("seed %d", seed).isGreaterThanOrEqualTo(0.95);
        for (int i = 0; i < 10; i++) {
            put("new-" + i, data.next(), Map.of());
        }
        assertThat(index.highWater()).as("freed ordinals reused").isEqualTo(ROWS);
    }

    @Test
    void shouldFindRowsNotYetLinkedAndFreeThemWhenDeletedBeforeTheirBatchIsLinked() {
        int batch = CollectionIndex.LINK_BATCH;
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < batch - 1; i++) { // one short of a batch: nothing is linked yet
            fresh.add("fresh-" + i);
            put("fresh-" + i, data.next(), Map.of());
        }
        assertThat(index.pendingCount()).isEqualTo(batch - 1);
        assertThat(index.graph().nodes()).isEqualTo(ROWS);
        for (String id : fresh.subList(0, 20)) { // searchable at once: read-your-writes does not wait for the link
            KnnResult result = search(KnnRequest.builder("c", live.get(id)).k(1).build());
            assertThat(result.strategies()).containsExactly(SearchStrategy.GRAPH);
            assertThat(result.ids()).containsExactly(id);
            assertThat(result.hits().getFirst().distance()).isZero();
        }
        List<String> gone = fresh.subList(0, 10);
        for (String id : gone) {
            float[] vector = live.remove(id);
            index.remove(id);
            assertThat(search(KnnRequest.builder("c", vector).k(5).build()).ids()).doesNotContain(id);
        }
        assertThat(index.retiredCount()).as("never linked, so nothing to unlink").isZero();
        assertThat(index.pendingCount()).isEqualTo(batch - 11);
        for (int i = 0; i < 11; i++) { // on the freed ordinals, up to a full batch
            put("refill-" + i, data.next(), Map.of());
        }
        assertThat(index.pendingCount()).as("a full batch links itself").isZero();
        assertThat(index.graph().nodes()).isEqualTo(ROWS + batch);
        assertThat(index.size()).isEqualTo(ROWS + batch);
        assertThat(index.highWater()).as("the freed ordinals reused").isEqualTo(ROWS + batch);
    }

    private KnnResult search(KnnRequest request) {
        return CollectionSearcher.search(index, request, SETTINGS, -1);
    }

    private void put(String id, float[] vector, Map<String, Object> metadata) {
        index.put(new IndexedVector("c", id, null, vector, metadata, ++lsn, false), true);
        live.put(id, vector);
    }

    private final Map<String, float[]> removed = new LinkedHashMap<>();

    private List<String> deleteRandom(int count) {
        List<String> ids = new ArrayList<>(live.keySet());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = ids.remove(data.nextInt(ids.size()));
            index.remove(id);
            removed.put(id, live.remove(id));
            out.add(id);
        }
        return out;
    }

    private float[] vectorOf(String id, List<String> deleted) {
        assertThat(deleted).contains(id);
        return removed.get(id);
    }
}
