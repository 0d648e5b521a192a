package io.ruvector.cdc.engine;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one capture deployment, read by the runtime, the CLI and benchmarks. */
public final class CaptureMetrics {

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong watermark = new AtomicLong(-1);

    private final AtomicLong lastCommitMicros = new AtomicLong(-1);
    private final AtomicLong slotLagBytes = new AtomicLong();
    private volatile double throttle = 1.0;
    private volatile long captureDelayMillis;
    private volatile long lastBatchAtMillis = -1;
    private volatile boolean lastBatchHadChanges;

    void recordBatch(int acceptedCount, int rejectedCount, long lsn, long commitMicros) {
        accepted.addAndGet(acceptedCount);
        rejected.addAndGet(rejectedCount);
        watermark.accumulateAndGet(lsn, Math::max);
        lastCommitMicros.accumulateAndGet(commitMicros, Math::max);
    }

    void recordDelay(long millis) {
        captureDelayMillis = Math.max(0, millis);
    }

    /**
     * Records that a non-empty batch was handled at {@code atMillis}; {@code hadChanges} false
     * means it held only position markers (our watermark messages), i.e. the capture has read
     * past every change committed before them.
     */
    void recordProgress(long atMillis, boolean hadChanges) {
        lastBatchHadChanges = hadChanges;
        lastBatchAtMillis = atMillis;
    }

    /** When the capture last handled a non-empty batch (changes or watermarks), or -1. */
    public long lastBatchAtMillis() {
        return lastBatchAtMillis;
    }

    /** Whether that batch held changes (false: only watermarks, nothing was pending before them). */
    public boolean lastBatchHadChanges() {
        return lastBatchHadChanges;
    }

    /** Commit → published delay of the newest change of the last batch that had changes, in ms. */
    public long captureDelayMillis() {
        return captureDelayMillis;
    }

    void recordThrottle(double fraction) {
        throttle = fraction;
    }

    /** Records the WAL the replication slot holds, as measured by the capture telemetry. */
    public void recordSlotLag(long bytes) {
        slotLagBytes.set(bytes);
    }

    /** Commit time (µs since the epoch) of the newest change published, or -1. */
    public long lastCommitMicros() {
        return lastCommitMicros.get();
    }

    /** WAL bytes the slot held at the last measurement (0 before the first). */
    public long slotLagBytes() {
        return slotLagBytes.get();
    }

    /** The admit fraction of the last batch; 1.0 = unthrottled. */
    public double throttle() {
        return throttle;
    }

    /** Changes published to the vectors topic since start. */
    public long accepted() {
        return accepted.get();
    }

    /** Changes sent to the dead-letter topic since start. */
    public long rejected() {
        return rejected.get();
    }

    /** Highest LSN whose preceding transactions are all on the vectors topic, or -1. */
    public long watermark() {
        return watermark.get();
    }
}
