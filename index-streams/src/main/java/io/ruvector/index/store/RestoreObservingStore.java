package io.ruvector.index.store;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The bottom of a vector index store's key-value stack: Kafka Streams' persistent (RocksDB) bytes
 * store, except that this layer registers the changelog restore callback itself — the store's own,
 * captured at its init, followed by a {@link Listener} — so that every restored batch (an active
 * task's restore, and every update of a standby) is also handed to the listener after it was
 * written. That lets the in-memory index above follow a standby's
 * updates row by row instead of being dropped and rebuilt on every batch, which is what makes a
 * standby answer searches at once when its active instance is lost.
 */
final class RestoreObservingStore implements KeyValueStore<Bytes, byte[]> {

    /** Receives each restored batch, in changelog order, after the store holds it; called on the restoring thread. */
    interface Listener {
        void restored(List<KeyValue<String, byte[]>> batch);
    }

    /** Restores observed through the listener set last ({@link #observe}); none before. */
    static final class Tap {
        private volatile Listener listener = batch -> { };

        void observe(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
        }
    }

    private final KeyValueStore<Bytes, byte[]> delegate;
    private final Tap tap;

    private RestoreObservingStore(KeyValueStore<Bytes, byte[]> delegate, Tap tap) {
        this.delegate = delegate;
        this.tap = tap;
    }

    /**
     * A supplier of one store named {@code name} whose restores go to {@code tap}. RocksDB, not the
     * in-memory store: the rows then live on disk, not a second time on the heap beside the index's
     * matrix.
     */
    static KeyValueBytesStoreSupplier supplier(String name, Tap tap) {
        KeyValueBytesStoreSupplier rocksDb = Stores.persistentKeyValueStore(name);
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return rocksDb.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new RestoreObservingStore(rocksDb.get(), tap);
            }

            @Override
            public String metricsScope() {
                return rocksDb.metricsScope();
            }
        };
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // the store registers its own callbacks with the context it is given: capture them, then
        // register its restore callback followed by the listener in their place (the store's own
        // restore keeps its batched writes and its position bookkeeping)
        CapturingContext capturing = new CapturingContext(context);
        delegate.init(capturing, root);
        if (root == null) {
            return;
        }
        if (!(capturing.restore instanceof RecordBatchingStateRestoreCallback own)) {
            throw new IllegalStateException("store " + delegate.name() + " registered no batching restore callback: "
                    + capturing.restore);
        }
        RecordBatchingStateRestoreCallback observed = records -> {
            own.restoreBatch(records);
            List<KeyValue<String, byte[]>> batch = new ArrayList<>(records.size());
            for (ConsumerRecord<byte[], byte[]> record : records) {
                batch.add(KeyValue.pair(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8), record.value()));
            }
            tap.listener.restored(batch);
        };
        if (capturing.commit != null) {
            context.register(root, observed, capturing.commit);
        } else {
            context.register(root, observed);
        }
    }

    /** The context a store is initialised with, but holding the callbacks it registers instead of registering them. */
    private static final class CapturingContext implements StateStoreContext {

        private final StateStoreContext context;
        private StateRestoreCallback restore;
        private CommitCallback commit;

        CapturingContext(StateStoreContext context) {
            this.context = context;
        }

        @Override
        public void register(StateStore store, StateRestoreCallback callback) {
            restore = callback;
        }

        @Override
        public void register(StateStore store, StateRestoreCallback callback, CommitCallback onCommit) {
            restore = callback;
            commit = onCommit;
        }

        @Override
        public String applicationId() {
            return context.applicationId();
        }

        @Override
        public TaskId taskId() {
            return context.taskId();
        }

        @Override
        public Optional<RecordMetadata> recordMetadata() {
            return context.recordMetadata();
        }

        @Override
        public Serde<?> keySerde() {
            return context.keySerde();
        }

        @Override
        public Serde<?> valueSerde() {
            return context.valueSerde();
        }

        @Override
        public File stateDir() {
            return context.stateDir();
        }

        @Override
        public StreamsMetrics metrics() {
            return context.metrics();
        }

        @Override
        public Map<String, Object> appConfigs() {
            return context.appConfigs();
        }

        @Override
        public Map<String, Object> appConfigsWithPrefix(String prefix) {
            return context.appConfigsWithPrefix(prefix);
        }
    }

    @Override
    public void put(Bytes key, byte[] value) {
        delegate.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        return delegate.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        delegate.putAll(entries);
    }

    @Override
    public byte[] delete(Bytes key) {
        return delegate.delete(key);
    }

    @Override
    public byte[] get(Bytes key) {
        return delegate.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return delegate.range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return delegate.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return delegate.all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return delegate.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return delegate.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return delegate.approximateNumEntries();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        delegate.commit(changelogOffsets);
    }

    @Override
    public boolean managesOffsets() {
        return delegate.managesOffsets();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return delegate.committedOffset(partition);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public boolean persistent() {
        return delegate.persistent();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return delegate.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return delegate.getPosition();
    }
}
