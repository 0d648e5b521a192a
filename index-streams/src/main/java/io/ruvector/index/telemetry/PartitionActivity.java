package io.ruvector.index.telemetry;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The activity counters of every partition this instance has run, one {@link PartitionCounters}
 * per partition: the processor and the store record into them, {@link IndexTelemetry} drains them
 * once per sample. One per index application (created with the topology, owned by
 * {@code IndexService}), never static. Thread-safe.
 *
 * <p>Counters of a partition that moved to another instance stay (idle) until this one closes: a
 * handful of small objects, and the partition may come back.
 */
public final class PartitionActivity {

    private final Map<Integer, PartitionCounters> partitions = new ConcurrentHashMap<>();

    /** The counters of {@code partition}, created on first use. */
    public PartitionCounters partition(int partition) {
        return partitions.computeIfAbsent(partition, p -> new PartitionCounters());
    }

    /** Every known partition's window so far, resetting them. One drainer at a time. */
    public Map<Integer, ActivityWindow> drain() {
        Map<Integer, ActivityWindow> windows = new TreeMap<>();
        partitions.forEach((partition, counters) -> windows.put(partition, counters.drain()));
        return windows;
    }
}
