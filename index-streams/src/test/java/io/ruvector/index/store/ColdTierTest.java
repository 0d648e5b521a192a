package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.kernel.DistanceFunction;
import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.index.kernel.VectorDistances;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.topic.TopicNames;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The cold tier on a partition's index: rows idle since a cut-off are held as int8 codes, the
 * vector memory drops to about a quarter, recall@10 at the default ef_search moves by at most
 * 0.01, every returned distance is pgvector's on the full vector (read back from the store), and
 * writes, deletes, cleanup, snapshots and promotion keep the answers exact. The durable store is
 * modelled by the rows the test wrote (what {@code PartitionVectorIndexStore} reads from its
 * key-value store).
 */
class ColdTierTest {

    private static final int ROWS = 4_000;
    private static final int DIMS = 96;
    private static final int QUERIES = 60;
    private static final int K = 10;

    private final Map<String, float[]> stored = new HashMap<>();
    /** Rows read back from the modelled store. */
    private final java.util.concurrent.atomic.AtomicInteger storeReads = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    private long lsn;

    private PartitionIndex index(Metric metric) {
        CollectionIndex.FullVectors store = (collection, id) -> {
            storeReads.incrementAndGet();
            float[] v = stored.get(TopicNames.vectorKey(collection, id));
            return v == null ? null : v.clone();
        };
        return new PartitionIndex(HnswSettings.DEFAULT, c -> Optional.of(new GraphParams(16, 64, metric)), store,
                clock::get);
    }

    private void upsert(PartitionIndex index, String id, float[] vector) {
        index.apply(Changes.upsert("c", id, ++lsn, vector));
        stored.put(TopicNames.vectorKey("c", id), vector.clone());
    }

    private void delete(PartitionIndex index, String id) {
        index.apply(Changes.delete("c", id, ++lsn));
        stored.remove(TopicNames.vectorKey("c", id));
    }

    @ParameterizedTest
    @EnumSource(value = Metric.class, names = {"L2", "COSINE", "IP"})
    void shouldKeepRecallAndExactDistancesWhenEveryRowIsCold(Metric metric) {
        long seed = RandomVectors.seed("cold-tier-" + metric);
        ClusteredData data = new ClusteredData(seed, 40, DIMS, 1.0);
        PartitionIndex index = index(metric);
        for (int i = 0; i < ROWS; i++) {
            upsert(index, "r" + i, data.next());
        }
        index.linkPending();
        List<float[]> queries = new ArrayList<>();
        for (int i = 0; i < QUERIES; i++) {
            queries.add(data.next());
        }
        long before = index.stats("c").vectorBytes();
        double recallBefore = recall(index, queries, metric);

        clock.addAndGet(3_600_000);
        ColdEviction evicted = index.evictIdle("c", clock.get() - 60_000);

        assertThat(evicted.rows()).isEqualTo(ROWS);
        assertThat(index.stats("c").coldRows()).isEqualTo(ROWS);
        long after = index.stats("c").vectorBytes();
        // codes: DIMS + 1 bytes per row (¼ of float32, and an error bound); slot map 4 bytes per row; a minimal hot matrix
        assertThat(after).as("vector bytes %d -> %d", before, after)
                .isLessThanOrEqualTo((long) ROWS * (DIMS + 1) + 4L * ROWS * 3 / 2 + 16L * DIMS * Float.BYTES);
        assertThat((double) after / before).isLessThan(0.27);
        double recallAfter = recall(index, queries, metric);
        System.out.printf("cold tier %s: vector bytes %d -> %d (%.3f), recall@10 %.4f -> %.4f (seed %d)%n", metric,
                before, after, (double) after / before, recallBefore, recallAfter, seed);
        assertThat(Math.abs(recallAfter - recallBefore)).as("recall change, seed %d", seed).isLessThanOrEqualTo(0.01);

        int promoted = index.promoteAll("c");
        assertThat(promoted).isEqualTo(ROWS);
        assertThat(index.stats("c").coldRows()).isZero();
        assertThat(index.stats("c").vectorBytes()).isGreaterThanOrEqualTo((long) ROWS * DIMS * Float.BYTES);
        assertThat(recall(index, queries, metric)).isGreaterThanOrEqualTo(recallBefore - 0.01);
    }

    /**
     * Exact searches over cold rows read from the store only the rows that can still make the top
     * k, and answer as a scan of every full vector would: the same ids in the same order (ties
     * among duplicated rows included) and the same distances. Rows written after the codes were
     * fitted, far outside their range, are clamped: their distance to their codes is unbounded, so
     * they are always read.
     */
    @ParameterizedTest
    @EnumSource(value = Metric.class, names = {"L2", "COSINE", "IP"}) // L1 builds no graph, so no tier
    void shouldAnswerExactSearchesOverColdRowsAsAFullScanReadingFewOfThem(Metric metric) {
        long seed = RandomVectors.seed("cold-exact-" + metric);
        ClusteredData data = new ClusteredData(seed, 20, 48, 0.3);
        PartitionIndex index = index(metric);
        Map<String, float[]> table = new LinkedHashMap<>();
        int rows = 3_000;
        for (int i = 0; i < rows; i++) {
            // every 100th row repeats an earlier one: equal distances, kept in id (= ordinal) order
            float[] v = i % 100 == 99 ? table.get(String.format("r%05d", i - 50)).clone() : data.next();
            upsert(index, String.format("r%05d", i), v);
            table.put(String.format("r%05d", i), v);
        }
        clock.addAndGet(3_600_000);
        assertThat(index.evictIdle("c", clock.get()).rows()).isEqualTo(rows);
        int clamped = 30;
        for (int i = 0; i < clamped; i++) {
            float[] v = data.next();
            for (int d = 0; d < v.length; d++) {
                v[d] *= 4; // outside the range the codes were fitted on
            }
            upsert(index, String.format("s%05d", i), v);
            table.put(String.format("s%05d", i), v);
        }
        clock.addAndGet(3_600_000);
        assertThat(index.evictIdle("c", clock.get()).rows()).isEqualTo(clamped);
        assertThat(index.stats("c").coldRows()).isEqualTo(rows + clamped);

        DistanceFunction distance = VectorDistances.forMetric(metric);
        List<String> ids = new ArrayList<>(table.keySet());
        int queries = 30;
        storeReads.set(0);
        for (int q = 0; q < queries; q++) {
            // some queries are stored rows: distance 0 (or ties with their duplicate) at the top
            float[] query = q % 3 == 0 ? table.get(ids.get((q * 97) % ids.size())) : data.next();
            List<Map.Entry<String, Double>> truth = table.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), distance.distance(query, e.getValue())))
                    .sorted(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .limit(K).toList();
            KnnResult exact = index.search(new KnnRequest("c", query, K, metric, null,
                    io.ruvector.index.query.MetadataFilter.all(), null, true));
            assertThat(exact.hits()).extracting(KnnHit::id).as("query %d, seed %d", q, seed)
                    .containsExactlyElementsOf(truth.stream().map(Map.Entry::getKey).toList());
            assertThat(exact.hits()).extracting(KnnHit::distance).as("query %d, seed %d", q, seed)
                    .containsExactlyElementsOf(truth.stream().map(Map.Entry::getValue).toList());
        }
        double readsPerQuery = storeReads.get() / (double) queries;
        System.out.printf("cold exact %s: %.1f store reads per query of %d cold rows (seed %d)%n", metric, readsPerQuery,
                rows + clamped, seed);
        assertThat(readsPerQuery).as("the clamped rows, the top k and the rows near it, not every row (seed %d)", seed)
                .isGreaterThanOrEqualTo(clamped).isLessThan(0.1 * (rows + clamped));
    }

    @Test
    void shouldEvictOnlyRowsNeitherWrittenNorReturnedSinceTheCutOff() {
        ClusteredData data = new ClusteredData(RandomVectors.seed("cold-idle"), 10, 16, 0.3);
        PartitionIndex index = index(Metric.L2);
        for (int i = 0; i < 2_500; i++) {
            upsert(index, "old" + i, data.next());
        }
        long cutOff = clock.addAndGet(120_000);
        clock.addAndGet(60_000);
        for (int i = 0; i < 200; i++) {
            upsert(index, "new" + i, data.next());
        }
        KnnResult returned = index.search(KnnRequest.of("c", data.next(), 5, Metric.L2));
        index.get("c", "old7"); // a lookup returns the row too
        java.util.Set<String> idle = new java.util.HashSet<>();
        for (int i = 0; i < 2_500; i++) {
            idle.add("old" + i);
        }
        idle.remove("old7");
        returned.hits().forEach(hit -> idle.remove(hit.id()));

        ColdEviction plan = index.planEviction("c", cutOff);
        assertThat(plan.rows()).isEqualTo(idle.size());
        assertThat(index.stats("c").coldRows()).as("a plan changes nothing").isZero();
        ColdEviction evicted = index.evictIdle("c", cutOff);
        assertThat(evicted.bytesAfter()).as("the plan's memory").isEqualTo(plan.bytesAfter());
        assertThat(evicted.bytesBefore()).isEqualTo(plan.bytesBefore());

        assertThat(evicted.rows()).isEqualTo(idle.size());
        assertThat(index.planEviction("c", cutOff).rows()).isZero();
        assertThat(index.stats("c").coldRows()).isEqualTo(evicted.rows());
        assertThat(index.evictIdle("c", cutOff).rows()).as("a second run finds nothing new").isZero();
    }

    @Test
    void shouldAnswerExactlyAsTheTableWhileColdRowsAreUpdatedDeletedAndCleanedUp() throws Exception {
        long seed = RandomVectors.seed("cold-writes");
        ClusteredData data = new ClusteredData(seed, 20, 24, 0.4);
        PartitionIndex index = index(Metric.L2);
        Map<String, float[]> table = new LinkedHashMap<>();
        for (int i = 0; i < 2_000; i++) {
            float[] v = data.next();
            upsert(index, "r" + i, v);
            table.put("r" + i, v);
        }
        clock.addAndGet(3_600_000);
        assertThat(index.evictIdle("c", clock.get()).rows()).isEqualTo(2_000);
        java.util.Set<String> cold = new java.util.HashSet<>(table.keySet());

        for (int i = 0; i < 2_000; i += 7) { // vector updates of cold rows
            float[] v = data.next();
            upsert(index, "r" + i, v);
            table.put("r" + i, v);
            cold.remove("r" + i);
        }
        for (int i = 3; i < 2_000; i += 11) { // metadata-only change of a cold row keeps its vector
            index.apply(Changes.metadata("c", "r" + i, ++lsn, Map.of("tag", "x")));
            cold.remove("r" + i);
        }
        for (int i = 5; i < 2_000; i += 13) {
            delete(index, "r" + i);
            table.remove("r" + i);
            cold.remove("r" + i);
        }
        assertThat(index.stats("c").coldRows()).isEqualTo(cold.size());
        for (int i = 0; i < 300; i++) {
            float[] v = data.next();
            upsert(index, "n" + i, v);
            table.put("n" + i, v);
        }
        assertExact(index, table, data, seed);
        assertThat(index.get("c", "r3").vector()).isEqualTo(table.get("r3"));
        assertThat(index.get("c", "r3").metadata()).containsEntry("tag", "x");
        assertThat(index.get("c", "r5")).isNull();

        index.removeDeletedNodes("c");
        assertExact(index, table, data, seed);

        assertThat(snapshot(index)).as("no snapshot while rows are cold: a restart rebuilds that graph").isEmpty();

        assertThat(index.promoteAll("c")).isEqualTo(cold.size());
        assertThat(index.stats("c").coldRows()).isZero();
        assertExact(index, table, data, seed);
        for (Map.Entry<String, float[]> e : table.entrySet()) {
            assertThat(index.get("c", e.getKey()).vector()).isEqualTo(e.getValue());
        }

        // links made on approximate scores are written in the order a loader re-scoring them expects
        Map<String, ByteBuffer> snapshot = snapshot(index);
        assertThat(snapshot).containsKey("c");
        PartitionIndex restored = index(Metric.L2);
        restored.beginRestore(snapshot);
        table.forEach((id, v) -> restored.load(new IndexedVector("c", id, null, v, Map.of(), 1, false)));
        restored.endRestore();
        assertThat(restored.graphNodesLoaded()).isEqualTo(table.size());
        assertExact(restored, table, data, seed);
    }

    @Test
    void shouldDemoteIdleRowsAndPromoteTheOnesReturnedAgainUnderATierPolicy() {
        ClusteredData data = new ClusteredData(RandomVectors.seed("tier-policy"), 20, 32, 0.5);
        PartitionIndex index = index(Metric.L2);
        Map<String, float[]> table = new LinkedHashMap<>();
        for (int i = 0; i < 3_000; i++) {
            float[] v = data.next();
            upsert(index, "r" + i, v);
            table.put("r" + i, v);
        }
        index.linkPending();
        Tiering policy = new Tiering(java.time.Duration.ofHours(1), java.time.Duration.ofHours(24),
                java.time.Duration.ofHours(720));
        assertThat(index.tierWork("c", policy)).as("nothing idle for an hour yet").isFalse();
        assertThat(index.applyTiers("c", policy)).isEqualTo(TierMoves.NONE);

        clock.addAndGet(30 * 60_000L);
        upsert(index, "r0", table.get("r0")); // written half an hour later: stays hot
        clock.addAndGet(31 * 60_000L);
        assertThat(index.tierWork("c", policy)).isTrue();
        TierMoves demoted = index.applyTiers("c", policy);
        assertThat(demoted).isEqualTo(new TierMoves(2_999, 0));
        assertThat(index.stats("c").coldRows()).isEqualTo(2_999);
        assertThat(index.tierWork("c", policy)).as("a second pass has nothing to do").isFalse();

        // returned rows come back at the next pass, with the exact vector from the store
        KnnResult hits = index.search(KnnRequest.of("c", data.next(), K, Metric.L2));
        index.get("c", "r42");
        java.util.Set<String> returned = new java.util.HashSet<>(hits.hits().stream().map(KnnHit::id).toList());
        returned.add("r42");
        returned.remove("r0");
        assertThat(index.tierWork("c", policy)).isTrue();
        TierMoves promoted = index.applyTiers("c", policy);
        assertThat(promoted).isEqualTo(new TierMoves(0, returned.size()));
        assertThat(index.stats("c").coldRows()).isEqualTo(2_999 - returned.size());
        assertThat(index.get("c", "r42").vector()).containsExactly(table.get("r42"));

        // idle again past the hot time: back to codes; answers stay exact throughout
        clock.addAndGet(61 * 60_000L);
        assertThat(index.applyTiers("c", policy).demoted()).isEqualTo(3_000 - (2_999 - returned.size()));
        assertExact(index, table, data, 1L);
        assertThat(index.promoteAll("c")).isEqualTo(3_000);
    }

    private static Map<String, ByteBuffer> snapshot(PartitionIndex index) throws java.io.IOException {
        Map<String, ByteBuffer> out = new HashMap<>();
        index.linkPending(); // a snapshot changes nothing: the store links first, under its write lock
        index.writeSnapshots((collection, body) -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            body.writeTo(new DataOutputStream(bytes));
            out.put(collection, ByteBuffer.wrap(bytes.toByteArray()));
        });
        return out;
    }

    /** Exact-mode answers equal brute force over the table, and graph answers carry exact distances. */
    private static void assertExact(PartitionIndex index, Map<String, float[]> table, ClusteredData data, long seed) {
        DistanceFunction l2 = VectorDistances.forMetric(Metric.L2);
        for (int q = 0; q < 20; q++) {
            float[] query = data.next();
            List<Map.Entry<String, Double>> truth = table.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), l2.distance(query, e.getValue())))
                    .sorted(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .limit(K).toList();
            KnnResult exact = index.search(new KnnRequest("c", query, K, Metric.L2, null, io.ruvector.index.query.MetadataFilter.all(), null, true));
            assertThat(exact.hits()).extracting(KnnHit::id).as("seed %d", seed)
                    .containsExactlyElementsOf(truth.stream().map(Map.Entry::getKey).toList());
            for (KnnHit hit : index.search(KnnRequest.of("c", query, K, Metric.L2)).hits()) {
                assertThat(table).containsKey(hit.id());
                assertThat(hit.distance()).isEqualTo(l2.distance(query, table.get(hit.id())));
            }
        }
    }

    private double recall(PartitionIndex index, List<float[]> queries, Metric metric) {
        DistanceFunction distance = VectorDistances.forMetric(metric);
        int found = 0;
        for (float[] query : queries) {
            List<String> truth = stored.entrySet().stream()
                    .sorted(Comparator.comparingDouble(e -> distance.distance(query, e.getValue())))
                    .limit(K).map(e -> e.getKey().substring(e.getKey().indexOf('/') + 1)).toList();
            List<KnnHit> hits = index.search(KnnRequest.of("c", query, K, metric)).hits();
            for (KnnHit hit : hits) {
                assertThat(hit.distance()).as("distance of %s is pgvector's on the full vector", hit.id())
                        .isEqualTo(distance.distance(query, stored.get(TopicNames.vectorKey("c", hit.id()))));
                if (truth.contains(hit.id())) {
                    found++;
                }
            }
        }
        return (double) found / (K * queries.size());
    }
}
