package io.ruvector.cdc.throttle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows the capture to the admit fraction of the gates. It learns the unthrottled drain rate of
 * bulk work (changes per second over at least 250 ms of consecutive busy batches, an
 * exponential average) and, while
 * a batch's changes are throttled, pauses after the batch so that the capture's rate is
 * {@code x ×} that capacity, where {@code x} is the batch's effective fraction (the harmonic mean
 * of its changes' fractions). Pausing the handler alone would not do: Debezium decodes ahead into
 * its queue while we pause, so only a rate target slows the pipeline. Before a capacity is known
 * it pauses {@code T·(1/x − 1)} after a batch that took {@code T}. Nothing is dropped — changes
 * wait in the replication slot — and while the slot holds more WAL than the guard the pacer does
 * not pause, since a slot past {@code max_slot_wal_keep_size} would lose data.
 *
 * <p>Used by the single capture thread: not thread-safe, except {@link #currentFraction()}.
 */
public final class ApplyPacer {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyPacer.class);

    private record Group(String collection, String tenant) {
    }

    private final IngestGates gates;
    private final ThrottleSettings settings;
    private final LongSupplier slotLagBytes;
    private final Map<Group, Integer> batch = new HashMap<>();
    private static final double CAPACITY_WEIGHT = 0.3;
    /** Capacity is measured over at least this much busy time: single batches drain bursts faster than the pipeline runs. */
    private static final long CAPACITY_WINDOW_NANOS = 250_000_000L;

    private volatile double currentFraction = 1.0;
    private boolean guardActive;
    private double capacityPerSecond;
    private long lastBatchEndNanos = -1;
    private boolean lastBatchBusy;
    /**
     * A bulk load arrives in batches of every size (Debezium hands over what it has decoded), so
     * once a collection had a bulk-sized batch its changes count as bulk for this long.
     */
    private static final long BULK_MEMORY_NANOS = 1_000_000_000L;
    private final Map<String, Long> bulkUntilNanos = new HashMap<>();
    private long windowChanges;
    private long windowNanos;

    public ApplyPacer(IngestGates gates, ThrottleSettings settings, LongSupplier slotLagBytes) {
        this.gates = gates;
        this.settings = settings;
        this.slotLagBytes = slotLagBytes;
    }

    /** Counts one published change of the current batch. */
    public void count(String collection, String tenant) {
        batch.merge(new Group(collection, tenant), 1, Integer::sum);
    }

    /** Ends the batch that took {@code batchNanos} to publish: returns how long to pause, in nanoseconds. */
    public long endBatch(long batchNanos) {
        return endBatch(batchNanos, System.nanoTime());
    }

    /** {@link #endBatch(long)} at {@code nowNanos} (tests drive the clock). */
    long endBatch(long batchNanos, long nowNanos) {
        int total = batch.values().stream().mapToInt(Integer::intValue).sum();
        double weighted = 0; // Σ n_i / x_i
        Map<String, Integer> perCollection = new HashMap<>();
        batch.forEach((g, n) -> perCollection.merge(g.collection(), n, Integer::sum));
        perCollection.forEach((collection, n) -> {
            if (n >= settings.bulkThreshold()) {
                bulkUntilNanos.put(collection, nowNanos + BULK_MEMORY_NANOS);
            }
        });
        for (Map.Entry<Group, Integer> group : batch.entrySet()) {
            OperationClass op = perCollection.get(group.getKey().collection()) >= settings.bulkThreshold()
                    || inBulkLoad(group.getKey().collection(), nowNanos)
                    ? OperationClass.BULK : OperationClass.POINT;
            weighted += group.getValue() / gates.admitFraction(group.getKey().collection(), group.getKey().tenant(), op);
        }
        batch.clear();
        long sinceLast = lastBatchEndNanos < 0 ? batchNanos : Math.max(batchNanos, nowNanos - lastBatchEndNanos);
        boolean busy = total >= settings.bulkThreshold();
        double fraction = total == 0 ? 1.0 : total / weighted;
        long pause = 0;
        if (fraction < 1.0) {
            pause = pauseFor(total, fraction, batchNanos, sinceLast);
        } else if (busy && lastBatchBusy) {
            learn(total, sinceLast);
        } else {
            windowChanges = 0;
            windowNanos = 0;
        }
        if (total > 0) {
            currentFraction = guardActive ? 1.0 : fraction;
        }
        lastBatchBusy = busy;
        lastBatchEndNanos = nowNanos + pause;
        return pause;
    }

    private boolean inBulkLoad(String collection, long nowNanos) {
        Long until = bulkUntilNanos.get(collection);
        return until != null && nowNanos - until < 0;
    }

    /** Adds a busy, unthrottled batch to the window; a full window updates the capacity. */
    private void learn(int changes, long nanos) {
        windowChanges += changes;
        windowNanos += nanos;
        if (windowNanos >= CAPACITY_WINDOW_NANOS) {
            double observed = windowChanges / (windowNanos / 1e9);
            capacityPerSecond = capacityPerSecond == 0 ? observed
                    : (1 - CAPACITY_WEIGHT) * capacityPerSecond + CAPACITY_WEIGHT * observed;
            windowChanges = 0;
            windowNanos = 0;
        }
    }

    private long pauseFor(int total, double fraction, long batchNanos, long sinceLast) {
        long lag = slotLagBytes.getAsLong();
        if (lag > settings.slotLagGuardBytes()) {
            if (!guardActive) {
                LOG.warn("ingestion throttle lifted: the replication slot holds {} bytes of WAL, above the guard of {}",
                        lag, settings.slotLagGuardBytes());
                guardActive = true;
            }
            return 0;
        }
        guardActive = false;
        long pause = capacityPerSecond > 0
                ? (long) (total / (fraction * capacityPerSecond) * 1e9) - sinceLast
                : (long) (batchNanos * (1 / fraction - 1));
        return Math.max(0, Math.min(settings.maxPausePerBatch().toNanos(), pause));
    }

    /** The learned unthrottled drain rate of bulk work, changes per second (0 until measured). */
    public double capacityPerSecond() {
        return capacityPerSecond;
    }

    /** The admit fraction of the last batch (harmonic mean over its changes); 1.0 = unthrottled. */
    public double currentFraction() {
        return currentFraction;
    }
}
