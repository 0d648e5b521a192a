package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.kernel.DistanceFunction;
import io.ruvector.index.kernel.VectorDistances;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.VectorChange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Model-based: a random true history per id (optional snapshot read, then streamed upserts,
 * metadata updates and deletes with rising LSNs) delivered at least once — interleaved across
 * ids, with random redeliveries of earlier changes — must leave the index exactly where the
 * history applied once leaves a plain map; exact search must equal brute force over that map.
 */
class PartitionIndexModelTest {

    private static final int DIMS = 7; // prime: exercises the SIMD kernels' tails

    /** The model's row: what PostgreSQL holds. */
    private record Row(float[] vector, Map<String, Object> metadata) {
    }

    @RepeatedTest(5)
    void shouldMatchAMapModelWhenChangesAreReplayedAtLeastOnce() {
        long seed = System.nanoTime();
        System.out.println("PartitionIndexModelTest seed=" + seed);
        Random random = new Random(seed);
        Map<String, Row> model = new HashMap<>();
        List<List<VectorChange>> histories = new ArrayList<>();
        long lsn = 1000;
        for (int i = 0; i < 200; i++) {
            String id = Integer.toString(i);
            List<VectorChange> history = new ArrayList<>();
            if (random.nextBoolean()) { // snapshot read, LSN unrelated to the stream's
                float[] v = RandomVector.of(random, DIMS);
                Map<String, Object> meta = Map.of("g", (long) random.nextInt(3));
                history.add(Changes.upsert("c", id, 500 + random.nextInt(5000), true, v, meta));
                model.put(id, new Row(v, meta));
            }
            for (int step = random.nextInt(6); step > 0; step--) {
                lsn += 1 + random.nextInt(10);
                int op = random.nextInt(10);
                Map<String, Object> meta = Map.of("g", (long) random.nextInt(3));
                if (op < 5 || !model.containsKey(id)) {
                    float[] v = RandomVector.of(random, DIMS);
                    history.add(Changes.upsert("c", id, lsn, false, v, meta));
                    model.put(id, new Row(v, meta));
                } else if (op < 7) {
                    history.add(Changes.metadata("c", id, lsn, meta));
                    model.put(id, new Row(model.get(id).vector(), meta));
                } else {
                    history.add(Changes.delete("c", id, lsn));
                    model.remove(id);
                }
            }
            histories.add(history);
        }
        PartitionIndex index = new PartitionIndex();
        deliverAtLeastOnce(random, histories, index);

        for (int i = 0; i < 200; i++) {
            String id = Integer.toString(i);
            Row expected = model.get(id);
            IndexedVector actual = index.get("c", id);
            if (expected == null) {
                assertThat(actual).as("id %s (seed %d)", id, seed).isNull();
            } else {
                assertThat(actual).as("id %s (seed %d)", id, seed).isNotNull();
                assertThat(actual.vector()).as("id %s (seed %d)", id, seed).containsExactly(expected.vector());
                assertThat(actual.metadata()).isEqualTo(expected.metadata());
            }
        }
        assertThat(index.count("c")).isEqualTo(model.size());
        for (Metric metric : Metric.values()) {
            for (int q = 0; q < 5; q++) {
                float[] query = RandomVector.of(random, DIMS);
                int k = 1 + random.nextInt(20);
                Map<String, Object> filter = q % 2 == 0 ? Map.of() : Map.of("g", 1L);
                assertThat(index.search(new KnnRequest("c", query, k, metric, null, filter)).hits())
                        .as("%s k=%d filter=%s (seed %d)", metric, k, filter, seed)
                        .isEqualTo(bruteForce(model, query, k, metric, filter));
            }
        }
    }

    private static void deliverAtLeastOnce(Random random, List<List<VectorChange>> histories, PartitionIndex index) {
        int[] next = new int[histories.size()];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < histories.size(); i++) {
            pending.add(i);
        }
        while (!pending.isEmpty()) {
            int slot = random.nextInt(pending.size());
            int id = pending.get(slot);
            List<VectorChange> history = histories.get(id);
            if (next[id] > 0 && random.nextInt(4) == 0) {
                index.apply(history.get(random.nextInt(next[id]))); // redelivery of an earlier change
            } else if (next[id] < history.size()) {
                index.apply(history.get(next[id]++));
            } else {
                pending.remove(slot);
            }
        }
    }

    static List<KnnHit> bruteForce(Map<String, Row> model, float[] query, int k, Metric metric,
                                   Map<String, Object> filter) {
        DistanceFunction distance = VectorDistances.forMetric(metric);
        return model.entrySet().stream()
                .filter(e -> filter.entrySet().stream()
                        .allMatch(c -> c.getValue().equals(e.getValue().metadata().get(c.getKey()))))
                .map(e -> new KnnHit(e.getKey(), distance.distance(query, e.getValue().vector()), e.getValue().metadata()))
                .sorted(Comparator.naturalOrder())
                .limit(k)
                .toList();
    }

    /** Gaussian components: never the zero vector, so cosine is defined. */
    static final class RandomVector {
        static float[] of(Random random, int dims) {
            float[] v = new float[dims];
            for (int i = 0; i < dims; i++) {
                v[i] = (float) random.nextGaussian();
            }
            return v;
        }
    }
}
