package io.ruvector.index.telemetry;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one partition did in the current sample window: changes run through the apply rules (per
 * collection, those stored), kNN queries answered, how many of each failed, their latencies, and
 * the commit time of the last change processed.
 *
 * <p>Writers: the partition's stream thread ({@link #applied}) and any IQv2 thread
 * ({@link #queried}); the reader: the telemetry thread ({@link #drain}). Every counter is reset by
 * an atomic {@code getAndSet}, so nothing is counted twice or lost at a window boundary.
 * Recording allocates nothing once a collection has been seen.
 */
public final class PartitionCounters {

    private final LatencyWindow applyLatency = new LatencyWindow();
    private final LatencyWindow queryLatency = new LatencyWindow();
    private final AtomicLong applies = new AtomicLong();
    private final AtomicLong failedApplies = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong failedQueries = new AtomicLong();
    private final Map<String, AtomicLong> stored = new ConcurrentHashMap<>();
    private volatile long lastCommitMicros = ActivityWindow.NO_COMMIT;

    PartitionCounters() {
    }

    /**
     * One change processed by the stream thread.
     *
     * @param collection       the change's collection
     * @param nanos            time spent applying it
     * @param changed          the apply rules stored it (false for a replay or any other drop)
     * @param failed           it was dropped as unusable (e.g. a dimension mismatch): an error
     * @param commitTimeMicros the change's commit time in PostgreSQL
     */
    public void applied(String collection, long nanos, boolean changed, boolean failed, long commitTimeMicros) {
        applyLatency.record(nanos);
        applies.incrementAndGet();
        if (failed) {
            failedApplies.incrementAndGet();
        }
        if (changed) {
            AtomicLong count = stored.get(collection);
            if (count == null) {
                count = stored.computeIfAbsent(collection, c -> new AtomicLong());
            }
            count.incrementAndGet();
        }
        lastCommitMicros = commitTimeMicros;
    }

    /** One kNN query answered (or failed, e.g. a vector of the wrong dimension) in {@code nanos}. */
    public void queried(long nanos, boolean failed) {
        queryLatency.record(nanos);
        scanned(failed);
    }

    /**
     * One kNN query that asked for brute force ({@code exact}): counted, but its latency stays out of
     * the window. A forced scan costs time in proportion to the partition's rows by request, so it
     * says nothing about the index's health; as a latency it read a healthy 60,000 × 784 collection
     * as saturated (scans of 25–170 ms against the 50 ms budget) while a recall check ran.
     */
    public void scanned(boolean failed) {
        queries.incrementAndGet();
        if (failed) {
            failedQueries.incrementAndGet();
        }
    }

    /** The window so far, resetting it. The last commit time is not reset: it is a position, not a count. */
    ActivityWindow drain() {
        Map<String, Long> storedPerCollection = new TreeMap<>();
        stored.forEach((collection, count) -> {
            long n = count.getAndSet(0);
            if (n > 0) {
                storedPerCollection.put(collection, n);
            }
        });
        return new ActivityWindow(applies.getAndSet(0), failedApplies.getAndSet(0), queries.getAndSet(0),
                failedQueries.getAndSet(0), storedPerCollection, applyLatency.drain(), queryLatency.drain(),
                lastCommitMicros);
    }
}
