package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.schemas.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bulk-loaded collection's arrays trimmed to its rows: less memory, the same answers, still growable. */
class ArraySlackTest {

    private static final int DIMS = 96; // traversal codes on: they are trimmed too
    private static final HnswSettings SETTINGS = HnswSettings.builder().exactBelowRows(500).build();
    /** Just past a ×1.5 growth step (…, 2,053, 3,079, 4,618): a third of the arrays unused. */
    private static final int ROWS = 3_100;

    private final ClusteredData data = new ClusteredData(RandomVectors.seed("array-slack"), 20, DIMS, 0.3);
    private final CollectionIndex index = new CollectionIndex("c", DIMS, new GraphParams(16, 64, Metric.L2), SETTINGS);
    private long lsn;

    @Test
    void shouldFreeTheUnusedRoomAfterAQuietSpellAndAnswerAsBefore() {
        for (int i = 0; i < ROWS; i++) {
            put(i);
        }
        index.linkPending();
        List<float[]> queries = new ArrayList<>();
        List<List<String>> before = new ArrayList<>();
        for (int q = 0; q < 20; q++) {
            float[] query = data.next();
            queries.add(query);
            before.add(search(query).ids());
        }
        long vectorsBefore = index.vectorBytes();
        long codesBefore = index.graph().traversalCodeBytes();
        assertThat(vectorsBefore).as("grown past the rows").isGreaterThan((long) ROWS * DIMS * Float.BYTES * 5 / 4);

        assertThat(index.hasSlack(java.util.concurrent.TimeUnit.HOURS.toNanos(1))).as("not quiet for an hour").isFalse();
        assertThat(index.hasSlack(0)).isTrue();
        long freed = index.releaseSlack();

        assertThat(index.vectorBytes()).isLessThanOrEqualTo((long) (ROWS + ROWS / 32) * DIMS * Float.BYTES);
        assertThat(index.graph().traversalCodeBytes()).isLessThan(codesBefore).isGreaterThanOrEqualTo((long) ROWS * DIMS);
        assertThat(freed).isEqualTo(vectorsBefore - index.vectorBytes() + codesBefore - index.graph().traversalCodeBytes());
        assertThat(index.hasSlack(0)).as("nothing left to trim").isFalse();
        for (int q = 0; q < queries.size(); q++) {
            assertThat(search(queries.get(q)).ids()).isEqualTo(before.get(q));
        }

        for (int i = ROWS; i < ROWS * 2; i++) { // grows again past the trimmed size
            put(i);
        }
        index.linkPending();
        assertThat(index.size()).isEqualTo(ROWS * 2);
        // every grown row is stored whole (exact search finds it first); the graph, an approximate
        // index built in parallel, finds almost every one first (it missed 1 of 32 for seed 37974343170616)
        int probes = 0;
        int foundFirst = 0;
        for (int i = ROWS; i < ROWS * 2; i += 97) {
            String id = Integer.toString(i);
            float[] vector = index.get(id).vector();
            assertThat(exact(vector).ids().getFirst()).isEqualTo(id);
            probes++;
            if (search(vector).ids().getFirst().equals(id)) {
                foundFirst++;
            }
        }
        assertThat(foundFirst).as("grown rows the graph finds first, of " + probes).isGreaterThanOrEqualTo(probes * 9 / 10);
    }

    private void put(int i) {
        index.put(new IndexedVector("c", Integer.toString(i), null, data.next(), Map.of(), ++lsn, false), true);
    }

    private KnnResult exact(float[] query) {
        return CollectionSearcher.search(index, KnnRequest.builder("c", query).k(10).exact(true).build(), SETTINGS, -1);
    }

    private KnnResult search(float[] query) {
        return CollectionSearcher.search(index, KnnRequest.builder("c", query).k(10).build(), SETTINGS, -1);
    }
}
