package io.ruvector.cdc.engine;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one capture deployment, read by the runtime, the CLI and benchmarks. */
public final class CaptureMetrics {

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong watermark = new AtomicLong(-1);

    void recordBatch(int acceptedCount, int rejectedCount, long lsn) {
        accepted.addAndGet(acceptedCount);
        rejected.addAndGet(rejectedCount);
        watermark.accumulateAndGet(lsn, Math::max);
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
