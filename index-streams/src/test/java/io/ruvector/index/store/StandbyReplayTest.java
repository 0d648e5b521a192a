package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.route.Buckets;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A standby copy's in-memory index follows its changelog record by record: the active store's
 * writes (upserts, updates, deletes, metadata changes, the watermark, rows forgotten after a
 * hand-off, purged tombstones) are handed to a warmed standby through the restore callback that
 * {@link RestoreObservingStore} registers, in batches, and afterwards the standby answers exactly
 * as the active store and as a store rebuilt from the same rows — without being rebuilt itself.
 */
class StandbyReplayTest {

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path stateDir;


    private static final int DIMS = 16;
    private static final HnswSettings SETTINGS = HnswSettings.builder().exactBelowRows(100).build();
    private final GraphMaintenance maintenance = GraphMaintenance.manual();
    private final List<PartitionVectorIndexStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(PartitionVectorIndexStore::close);
        maintenance.close();
    }

    @Test
    void aWarmStandbyReplaysEveryRestoredBatchAndAnswersAsTheActiveDoes() {
        long seed = RandomVectors.seed("standby-replay");
        ClusteredData data = new ClusteredData(seed, 8, DIMS, 0.3);
        KeyValueStore<String, byte[]> activeInner = plainInner("active");
        PartitionVectorIndexStore active = open(activeInner, new RestoreObservingStore.Tap(), new AtomicReference<>());
        RestoreObservingStore.Tap tap = new RestoreObservingStore.Tap();
        AtomicReference<StateRestoreCallback> restore = new AtomicReference<>();
        PartitionVectorIndexStore standby = open(observedInner("standby", tap), tap, restore);
        assertThat(restore.get()).as("the bottom layer registered the restore callback").isInstanceOf(
                RecordBatchingStateRestoreCallback.class);

        long lsn = 0;
        Map<String, byte[]> shipped = new TreeMap<>(); // what the changelog has delivered so far, by key
        for (int i = 0; i < 600; i++) {
            active.apply(Changes.change("c", Integer.toString(i), ChangeOp.UPSERT, ++lsn, false, data.next(),
                    Map.of("g", (long) (i % 3)), i % 2 == 0 ? "t1" : "t2"));
        }
        active.advanceWatermark(lsn);
        ship(activeInner, shipped, restore.get(), 97);
        standby.warm(); // caught up: its index is built once from what it holds
        assertThat(standby.warmed()).isTrue();

        for (int i = 0; i < 600; i += 5) {
            active.apply(Changes.delete("c", Integer.toString(i), ++lsn));
        }
        for (int i = 1; i < 600; i += 7) {
            active.apply(Changes.upsert("c", Integer.toString(i), ++lsn, data.next()));
        }
        for (int i = 2; i < 600; i += 11) {
            active.apply(Changes.metadata("c", Integer.toString(i), ++lsn, Map.of("g", 9L)));
        }
        for (int i = 600; i < 800; i++) {
            active.apply(Changes.upsert("c", Integer.toString(i), ++lsn, data.next()));
        }
        active.advanceWatermark(lsn);
        int forgotten = active.forget("c", bucket -> bucket % 8 == 0); // handed to another partition
        assertThat(forgotten).isPositive();
        ship(activeInner, shipped, restore.get(), 53);

        for (int q = 0; q < 30; q++) {
            float[] query = data.next();
            for (KnnRequest request : List.of(KnnRequest.builder("c", query).k(10).exact(true).build(),
                    KnnRequest.builder("c", query).k(10).tenant("t2").exact(true).build())) {
                assertThat(standby.search(request).hits()).as("query %d, seed %d", q, seed)
                        .isEqualTo(active.search(request).hits());
            }
        }
        assertThat(standby.stats("c").liveRows()).isEqualTo(active.stats("c").liveRows());
        assertThat(standby.stats("c").tombstones()).isEqualTo(active.stats("c").tombstones()).isPositive();
        assertThat(standby.watermark()).isEqualTo(lsn);
        assertThat(standby.current("c", "1")).isEqualTo(active.current("c", "1"));
        String updated = java.util.stream.IntStream.range(0, 600).filter(i -> i % 11 == 2 && i % 5 != 0)
                .mapToObj(Integer::toString).filter(id -> Buckets.of(id) % 8 != 0).findFirst().orElseThrow();
        assertThat(standby.get("c", updated).orElseThrow().metadata()).isEqualTo(Map.of("g", 9L));
        String gone = firstIdInBucketsOf(0, 800);
        assertThat(standby.current("c", gone)).as("row %s of a forgotten bucket", gone).isNull();

        // the same rows rebuilt from scratch (what a copy without a warm index does) answer the same
        KeyValueStore<String, byte[]> rebuiltInner = plainInner("rebuilt");
        PartitionVectorIndexStore rebuilt = open(rebuiltInner, new RestoreObservingStore.Tap(), new AtomicReference<>());
        try (KeyValueIterator<String, byte[]> all = activeInner.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                rebuiltInner.put(entry.key, entry.value); // below the index, as a restore without a tap writes
            }
        }
        float[] query = data.next();
        KnnRequest exact = KnnRequest.builder("c", query).k(20).exact(true).build();
        assertThat(standby.search(exact).hits()).isEqualTo(rebuilt.search(exact).hits());
    }

    /** The id in [0, n) whose bucket was forgotten (bucket % 8 == 0). */
    private static String firstIdInBucketsOf(int residue, int n) {
        for (int i = 0; i < n; i++) {
            if (Buckets.of(Integer.toString(i)) % 8 == residue) {
                return Integer.toString(i);
            }
        }
        throw new AssertionError("no id in a forgotten bucket");
    }

    /**
     * Sends the changelog records the active store wrote since the last call (every key whose value
     * changed, deleted keys as null values) through {@code restore}, {@code batch} records at a time.
     */
    private static void ship(KeyValueStore<String, byte[]> activeInner, Map<String, byte[]> shipped,
                             StateRestoreCallback restore, int batch) {
        Map<String, byte[]> now = new TreeMap<>();
        try (KeyValueIterator<String, byte[]> all = activeInner.all()) {
            all.forEachRemaining(entry -> now.put(entry.key, entry.value));
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : now.entrySet()) {
            if (!java.util.Arrays.equals(shipped.get(entry.getKey()), entry.getValue())) {
                records.add(record(records.size(), entry.getKey(), entry.getValue()));
            }
        }
        for (String key : shipped.keySet()) {
            if (!now.containsKey(key)) {
                records.add(record(records.size(), key, null));
            }
        }
        shipped.clear();
        shipped.putAll(now);
        for (int from = 0; from < records.size(); from += batch) {
            ((RecordBatchingStateRestoreCallback) restore).restoreBatch(records.subList(from, Math.min(records.size(), from + batch)));
        }
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String key, byte[] value) {
        return new ConsumerRecord<>("changelog", 0, offset, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static KeyValueStore<String, byte[]> plainInner(String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled().withLoggingDisabled().build();
    }

    private static KeyValueStore<String, byte[]> observedInner(String name, RestoreObservingStore.Tap tap) {
        return Stores.keyValueStoreBuilder(RestoreObservingStore.supplier(name, tap), Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled().withLoggingDisabled().build();
    }

    /** A store initialised with a context that hands back the restore callback registered for it. */
    private PartitionVectorIndexStore open(KeyValueStore<String, byte[]> inner, RestoreObservingStore.Tap tap,
                                           AtomicReference<StateRestoreCallback> restore) {
        PartitionVectorIndexStore store = new PartitionVectorIndexStore(inner, tap, SETTINGS, maintenance,
                new io.ruvector.index.telemetry.PartitionActivity(), new io.ruvector.index.telemetry.MaintenanceJobs());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "standby-replay-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // the store is RocksDB: each opened store gets its own state directory
        java.io.File dir = stateDir.resolve("store-" + stores.size()).toFile();
        StateStoreContext mock = new MockProcessorContext<>(props, new org.apache.kafka.streams.processor.TaskId(0, 0), dir)
                .getStateStoreContext();
        java.util.Set<Class<?>> interfaces = new java.util.LinkedHashSet<>();
        for (Class<?> type = mock.getClass(); type != null; type = type.getSuperclass()) {
            interfaces.addAll(List.of(type.getInterfaces()));
        }
        StateStoreContext context = (StateStoreContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                interfaces.toArray(Class<?>[]::new), (proxy, method, args) -> {
                    if (method.getName().equals("register") && args != null && args.length >= 2
                            && args[1] instanceof StateRestoreCallback callback) {
                        restore.set(callback);
                    }
                    try {
                        return method.invoke(mock, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        store.init(context, store);
        store.useParams(c -> Optional.of(new GraphParams(16, 64, Metric.L2)));
        stores.add(store);
        return store;
    }
}
