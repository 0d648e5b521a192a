package io.ruvector.index.store;

/**
 * Native memory of the index application's RocksDB stores on one instance, whatever the number of
 * partitions (Kafka Streams' defaults give every store a 50 MB block cache and up to three 16 MB
 * memtables, so memory grows with the partitions an instance hosts). See {@link StoreMemory}.
 *
 * @param blockCacheBytes  one block cache shared by every store of the instance (reads of the
 *                         cold tier and of a rebuild; searches read the heap)
 * @param memtableBytes    all stores' memtables together: past this a store flushes early
 * @param writeBufferBytes one memtable of one store; also how often a store flushes, and with it
 *                         its committed changelog offsets (kept in the store without a write-ahead
 *                         log), so how much of the changelog a restart after a crash replays
 */
public record StoreMemorySettings(long blockCacheBytes, long memtableBytes, long writeBufferBytes) {

    public static final StoreMemorySettings DEFAULT = new StoreMemorySettings(8L << 20, 16L << 20, 4L << 20);

    /** RocksDB's arena allocates memtables in blocks; smaller buffers flush tiny files. */
    static final long MIN_WRITE_BUFFER_BYTES = 256L << 10;

    public StoreMemorySettings {
        if (blockCacheBytes < 0) {
            throw new IllegalArgumentException("index store block cache must be >= 0 bytes, was " + blockCacheBytes);
        }
        if (writeBufferBytes < MIN_WRITE_BUFFER_BYTES) {
            throw new IllegalArgumentException("index store write buffer must be >= " + MIN_WRITE_BUFFER_BYTES
                    + " bytes, was " + writeBufferBytes);
        }
        if (memtableBytes < writeBufferBytes) {
            throw new IllegalArgumentException("index store memtable budget (" + memtableBytes
                    + " bytes) must hold at least one write buffer (" + writeBufferBytes + " bytes)");
        }
    }
}
