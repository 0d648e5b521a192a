package io.ruvector.index.store;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.telemetry.MaintenanceJobs;
import io.ruvector.index.telemetry.PartitionActivity;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Assembles a {@link PartitionVectorIndexStore} over Kafka Streams' own changelogged key-value
 * stack (Metered → ChangeLogging → RocksDB bytes store, whose restores a
 * {@link RestoreObservingStore} hands to the index above), keys {@code collection/id}, values
 * {@link StoredRowCodec} bytes. Logging is on by default and caching is refused: the vector layer
 * must see every write, and the changelog is the durable copy.
 *
 * <p>Why RocksDB and not the in-memory store: the index's matrix already holds every hot row on
 * the heap, and an in-memory store held each row a second time there (not counted in the
 * index's memory, and not freed by the cold tier); RocksDB keeps them on disk ({@link RestoreObservingStore}).
 *
 * <p>Every store it builds registers with the given {@link GraphMaintenance} while open, which
 * removes deleted graph nodes in the background, and reports its queries to the given
 * {@link PartitionActivity} and its rebuilds and cleanups to the given {@link MaintenanceJobs}.
 */
public final class VectorIndexStoreBuilder implements StoreBuilder<VectorIndexStore> {

    private final StoreBuilder<KeyValueStore<String, byte[]>> inner;
    private final HnswSettings settings;
    private final GraphMaintenance maintenance;
    private final PartitionActivity activity;
    private final MaintenanceJobs jobs;

    /** Stores with default settings whose graph cleanup runs only when {@code maintenance.runOnce()} is called. */
    public VectorIndexStoreBuilder(String name) {
        this(name, HnswSettings.DEFAULT, GraphMaintenance.manual());
    }

    /** Stores whose telemetry nobody reads. */
    public VectorIndexStoreBuilder(String name, HnswSettings settings, GraphMaintenance maintenance) {
        this(name, settings, maintenance, new PartitionActivity(), new MaintenanceJobs());
    }

    public VectorIndexStoreBuilder(String name, HnswSettings settings, GraphMaintenance maintenance,
                                   PartitionActivity activity, MaintenanceJobs jobs) {
        Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        this.activity = Objects.requireNonNull(activity, "activity");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                        Serdes.ByteArray())
                .withCachingDisabled()
                .withLoggingEnabled(Map.of());
    }

    @Override
    public StoreBuilder<VectorIndexStore> withCachingEnabled() {
        throw new UnsupportedOperationException("the vector index store must see every write; caching is not supported");
    }

    @Override
    public StoreBuilder<VectorIndexStore> withCachingDisabled() {
        return this;
    }

    @Override
    public StoreBuilder<VectorIndexStore> withLoggingEnabled(Map<String, String> config) {
        inner.withLoggingEnabled(config);
        return this;
    }

    /** Only for tests and throwaway indexes: without the changelog a lost instance loses its partitions. */
    @Override
    public StoreBuilder<VectorIndexStore> withLoggingDisabled() {
        inner.withLoggingDisabled();
        return this;
    }

    @Override
    public VectorIndexStore build() {
        // Each store gets its own tap: the index above follows what restoration writes below it.
        RestoreObservingStore.Tap tap = new RestoreObservingStore.Tap();
        StoreBuilder<KeyValueStore<String, byte[]>> stack = Stores.keyValueStoreBuilder(
                RestoreObservingStore.supplier(inner.name(), tap), Serdes.String(), Serdes.ByteArray()).withCachingDisabled();
        stack = inner.loggingEnabled() ? stack.withLoggingEnabled(inner.logConfig()) : stack.withLoggingDisabled();
        return new PartitionVectorIndexStore(stack.build(), tap, settings, maintenance, activity, jobs);
    }

    @Override
    public Map<String, String> logConfig() {
        return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return inner.loggingEnabled();
    }

    @Override
    public String name() {
        return inner.name();
    }
}
