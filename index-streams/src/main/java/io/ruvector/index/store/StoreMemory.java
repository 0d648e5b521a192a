package io.ruvector.index.store;

import java.util.Map;
import java.util.Objects;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;
import org.apache.kafka.streams.state.RocksDBConfigSetter;

/**
 * The bounded native memory of one index application's RocksDB stores: one block cache and one
 * memtable budget ({@link StoreMemorySettings}) shared by every store the instance opens, handed
 * to Kafka Streams' {@code rocksdb.config.setter} ({@link ConfigSetter}) through the application's
 * properties under {@link #CONFIG_KEY}, and closed by its owner after the application.
 */
public final class StoreMemory implements AutoCloseable {

    /** The application property that carries this instance's {@link StoreMemory} to {@link ConfigSetter}. */
    public static final String CONFIG_KEY = "ruvector.index.store.memory";

    private final StoreMemorySettings settings;
    private final Cache cache;
    private final Cache memtableAccount;
    private final WriteBufferManager memtables;

    private StoreMemory(StoreMemorySettings settings) {
        RocksDB.loadLibrary();
        this.settings = settings;
        this.cache = new LRUCache(settings.blockCacheBytes());
        // Charged to a cache of its own, not to the block cache: the two budgets stay apart, and
        // RocksDB's metrics report memtables and cached blocks apart (a memtable charged to the
        // block cache would count twice there). The account holds only placeholders.
        this.memtableAccount = new LRUCache(settings.memtableBytes());
        this.memtables = new WriteBufferManager(settings.memtableBytes(), memtableAccount);
    }

    public static StoreMemory allocate(StoreMemorySettings settings) {
        return new StoreMemory(Objects.requireNonNull(settings, "settings"));
    }

    @Override
    public void close() {
        memtables.close();
        memtableAccount.close();
        cache.close();
    }

    /**
     * Kafka Streams' {@code rocksdb.config.setter} for the index application: every store gets the
     * instance's shared cache and memtable budget, and memtables of {@code writeBufferBytes}. A
     * store opened without a {@link StoreMemory} in the properties keeps Kafka Streams' defaults.
     */
    public static final class ConfigSetter implements RocksDBConfigSetter {

        @Override
        public void setConfig(String storeName, Options options, Map<String, Object> configs) {
            if (!(configs.get(CONFIG_KEY) instanceof StoreMemory memory)) {
                return;
            }
            // Kafka Streams' own table config (it reads the cache back for its metrics): changed, not replaced
            BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
            table.setBlockCache(memory.cache);
            options.setTableFormatConfig(table);
            options.setWriteBufferManager(memory.memtables);
            options.setWriteBufferSize(memory.settings.writeBufferBytes());
            options.setMaxWriteBufferNumber(2);
        }

        @Override
        public void close(String storeName, Options options) {
            // the cache and the budget are shared by every store: their owner closes them
        }
    }
}
