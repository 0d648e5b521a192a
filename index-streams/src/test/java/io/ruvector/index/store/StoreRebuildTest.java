package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.query.GetVectorQuery;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.query.SearchStrategy;
import io.ruvector.index.query.StatsQuery;
import io.ruvector.index.query.VectorRecord;
import io.ruvector.schemas.Metric;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PartitionVectorIndexStore} over a real in-memory key-value store: rebuilt from the
 * stored rows (what a changelog restore leaves behind) it answers exact queries identically and
 * keeps graph recall; point lookups and stats come through IQv2; searches running while changes
 * and graph cleanup go on never see a row deleted before they started.
 */
class StoreRebuildTest {

    private static final int DIMS = 32;
    private static final HnswSettings SETTINGS = HnswSettings.builder().exactBelowRows(200).build();
    private final List<PartitionVectorIndexStore> stores = new ArrayList<>();
    private final GraphMaintenance maintenance = GraphMaintenance.manual();

    @AfterEach
    void close() {
        stores.forEach(PartitionVectorIndexStore::close);
        maintenance.close();
    }

    @Test
    void shouldAnswerTheSameWhenRebuiltFromTheStoredRows() {
        long seed = RandomVectors.seed("store-rebuild");
        ClusteredData data = new ClusteredData(seed, 10, DIMS, 0.3);
        KeyValueStore<String, byte[]> firstInner = inner("first");
        PartitionVectorIndexStore first = store(firstInner);
        long lsn = 0;
        for (int i = 0; i < 2_000; i++) {
            first.apply(Changes.change("c", Integer.toString(i), io.ruvector.schemas.ChangeOp.UPSERT, ++lsn, false,
                    data.next(), Map.of("g", (long) (i % 4)), i % 2 == 0 ? "t1" : "t2"));
        }
        for (int i = 0; i < 2_000; i += 7) {
            first.apply(Changes.delete("c", Integer.toString(i), ++lsn));
        }
        for (int i = 1; i < 2_000; i += 11) { // moved rows: retired graph nodes in the first store
            first.apply(Changes.upsert("c", Integer.toString(i), ++lsn, data.next()));
        }
        first.advanceWatermark(lsn);

        KeyValueStore<String, byte[]> secondInner = inner("second");
        PartitionVectorIndexStore second = store(secondInner);
        try (KeyValueIterator<String, byte[]> all = firstInner.all()) { // what a changelog restore writes
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                secondInner.put(entry.key, entry.value);
            }
        }

        CollectionStats before = first.stats("c");
        CollectionStats after = second.stats("c");
        assertThat(after.liveRows()).isEqualTo(before.liveRows());
        assertThat(after.tombstones()).isEqualTo(before.tombstones()).isPositive();
        assertThat(after.watermark()).isEqualTo(lsn);
        assertThat(after.graphPresent()).isTrue();
        assertThat(before.deletedGraphNodes()).isPositive();
        assertThat(after.deletedGraphNodes()).as("a rebuilt graph links live rows only").isZero();

        double recall = 0;
        for (int q = 0; q < 50; q++) {
            float[] query = data.next();
            KnnRequest exact = KnnRequest.builder("c", query).k(10).exact(true).build();
            KnnResult expected = first.search(exact);
            assertThat(second.search(exact)).isEqualTo(expected);
            KnnRequest filtered = KnnRequest.builder("c", query).k(10).tenant("t2").exact(true).build();
            assertThat(second.search(filtered)).isEqualTo(first.search(filtered));
            KnnResult graph = second.search(KnnRequest.builder("c", query).k(10).build());
            assertThat(graph.strategies()).containsExactly(SearchStrategy.GRAPH);
            Set<String> truth = new HashSet<>(expected.ids());
            recall += graph.ids().stream().filter(truth::contains).count() / 10.0;
        }
        System.out.printf("store-rebuild recall@10 after rebuild=%.4f%n", recall / 50);
        assertThat(recall / 50).as("seed %d", seed).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldAnswerGetAndStatsQueriesWhenAskedThroughIqv2() {
        PartitionVectorIndexStore store = store(inner("iq"));
        store.apply(Changes.change("c", "1", io.ruvector.schemas.ChangeOp.UPSERT, 10, false, new float[] {1f, 2f},
                Map.of("k", "v"), "t1"));
        store.apply(Changes.upsert("c", "2", 11, 3f, 4f));
        store.apply(Changes.delete("c", "2", 12));
        store.advanceWatermark(12);

        QueryResult<Optional<VectorRecord>> hit = store.query(new GetVectorQuery("c", "1"), PositionBound.unbounded(),
                new QueryConfig(false));
        assertThat(hit.getResult()).contains(new VectorRecord("c", "1", "t1", new float[] {1f, 2f}, Map.of("k", "v"), 10));
        assertThat(store.query(new GetVectorQuery("c", "2"), PositionBound.unbounded(), new QueryConfig(false))
                .getResult()).isEmpty();
        assertThat(store.query(new GetVectorQuery("other", "1"), PositionBound.unbounded(), new QueryConfig(false))
                .getResult()).isEmpty();

        CollectionStats stats = store.query(new StatsQuery("c"), PositionBound.unbounded(), new QueryConfig(false))
                .getResult();
        assertThat(stats).isEqualTo(new CollectionStats("c", 1, 0, 1, 12, stats.vectorBytes(), 0, false, 0, 0, null, 0));
        assertThat(stats.vectorBytes()).isPositive();
        assertThat(stats.memoryBytes()).isEqualTo(stats.vectorBytes());
    }

    @Test
    void shouldNeverReturnARowDeletedBeforeTheSearchStartedWhenChangesAndCleanupRunConcurrently() throws Exception {
        long seed = RandomVectors.seed("store-concurrency");
        ClusteredData data = new ClusteredData(seed, 5, 8, 0.3);
        PartitionVectorIndexStore store = store(inner("concurrent"));
        long lsn = 0;
        for (int i = 0; i < 1_000; i++) {
            store.apply(Changes.upsert("c", "a" + i, ++lsn, data.next()));
        }
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<float[]> queries = new ArrayList<>();
        for (int q = 0; q < 20; q++) {
            queries.add(data.next());
        }
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread reader = new Thread(() -> {
                try {
                    for (int n = 0; !done.get(); n++) {
                        Set<String> gone = Set.copyOf(deleted);
                        KnnResult result = store.search(KnnRequest.builder("c", queries.get(n % queries.size())).k(20).build());
                        assertThat(result.ids()).hasSizeLessThanOrEqualTo(20).noneMatch(gone::contains);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            reader.start();
            readers.add(reader);
        }
        for (int i = 0; i < 1_000; i++) { // delete half for good, move a quarter, insert new rows
            store.apply(Changes.upsert("c", "b" + i, ++lsn, data.next()));
            if (i % 2 == 0) {
                store.apply(Changes.delete("c", "a" + i, ++lsn));
                deleted.add("a" + i);
            } else if (i % 4 == 1) {
                store.apply(Changes.upsert("c", "a" + i, ++lsn, data.next()));
            }
            if (i % 100 == 99) {
                maintenance.runOnce();
            }
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(failure.get()).as("seed %d", seed).isNull();
        assertThat(store.stats("c").liveRows()).isEqualTo(1_500);
    }

    private static KeyValueStore<String, byte[]> inner(String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled().withLoggingDisabled().build();
    }

    private PartitionVectorIndexStore store(KeyValueStore<String, byte[]> inner) {
        PartitionVectorIndexStore store = new PartitionVectorIndexStore(inner, SETTINGS, maintenance);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "store-rebuild-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        StateStoreContext context = new MockProcessorContext<>(props).getStateStoreContext();
        store.init(context, store);
        store.useParams(c -> Optional.of(new GraphParams(16, 64, Metric.L2)));
        stores.add(store);
        return store;
    }
}
