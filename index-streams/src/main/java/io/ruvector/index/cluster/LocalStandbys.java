package io.ruvector.index.cluster;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The standby copies of index partitions this instance keeps, and how far each is behind the end
 * of its changelog, as the standby updates report it (Kafka Streams' {@code StandbyUpdateListener}).
 * A standby answers queries for its partition only while it is within
 * {@link #maxLagRecords()} of the end: a copy still restoring from the start of a compacted
 * changelog is not a consistent state of the partition at any watermark.
 */
public final class LocalStandbys {

    /** Default {@link #maxLagRecords()}: about one second of a steady write load. */
    public static final long DEFAULT_MAX_LAG_RECORDS = 1_000;
    private static final long UNKNOWN = -1;

    private final long maxLagRecords;
    private final Map<Integer, Long> lags = new ConcurrentHashMap<>();

    public LocalStandbys() {
        this(DEFAULT_MAX_LAG_RECORDS);
    }

    /** @param maxLagRecords records a standby may be behind and still answer; negative: no standby answers */
    public LocalStandbys(long maxLagRecords) {
        this.maxLagRecords = maxLagRecords;
    }

    /** Records a standby may be behind and still answer; negative when standby reads are off. */
    public long maxLagRecords() {
        return maxLagRecords;
    }

    /** A standby of {@code partition} started updating here; its lag is unknown until its first batch. */
    public void started(int partition) {
        lags.put(partition, UNKNOWN);
    }

    /** The standby of {@code partition} loaded a batch and is {@code lagRecords} behind the changelog's end. */
    public void loaded(int partition, long lagRecords) {
        lags.put(partition, Math.max(0, lagRecords));
    }

    /** The standby of {@code partition} stopped here (promoted to active, moved, or closed). */
    public void stopped(int partition) {
        lags.remove(partition);
    }

    /** The reported lag of this instance's standby of {@code partition}; empty when there is none or before its first batch. */
    public OptionalLong lag(int partition) {
        Long lag = lags.get(partition);
        return lag == null || lag == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(lag);
    }

    /** Whether this instance has a standby of {@code partition} at all. */
    public boolean hosts(int partition) {
        return lags.containsKey(partition);
    }

    /** Whether {@code lagRecords} is close enough to the end for a standby to answer. */
    public boolean servable(long lagRecords) {
        return lagRecords >= 0 && lagRecords <= maxLagRecords;
    }

    /** Partition → reported lag (-1 before the first batch), sorted. */
    public Map<Integer, Long> snapshot() {
        return new TreeMap<>(lags);
    }
}
