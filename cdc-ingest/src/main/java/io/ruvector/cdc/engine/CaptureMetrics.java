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

    void recordBatch(int acceptedCount, int rejectedCount, long lsn, long commitMicros) {
        accepted.addAndGet(acceptedCount);
        rejected.addAndGet(rejectedCount);
        watermark.accumulateAndGet(lsn, Math::max);
        lastCommitMicros.accumulateAndGet(commitMicros, Math::max);
    }

    void recordDelay(long millis) {
        captureDelayMillis = Math.max(0, millis);
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
