package io.ruvector.index.telemetry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A latency histogram over one sample window: log-linear buckets (HdrHistogram's layout, much
 * reduced), recorded from any number of threads without allocating or locking, and drained
 * (read and reset) once per window by the telemetry thread.
 *
 * <p><b>Buckets.</b> Values are nanoseconds. Below 2<sup>{@value #SUB_BITS}</sup> every value
 * has its own bucket; above, each power of two is split into 2<sup>{@value #SUB_BITS}</sup>
 * equal buckets, so a bucket is at most 1/32 (3.1 %) of its lower bound wide. Values from
 * 2<sup>{@value #MAX_BITS}</sup> ns (≈ 18 minutes) up land in the last bucket. 1,152 buckets,
 * 9 KB per window.
 *
 * <p><b>Percentiles</b> are nearest-rank (the value at rank ⌈q·n⌉), reported as the upper bound
 * of the bucket that holds that rank, capped by the window's maximum: a latency is never
 * under-reported, and over-reported by less than one bucket width.
 *
 * <p><b>Draining</b> resets each bucket with one atomic {@code getAndSet}, so a value recorded
 * during a drain counts in this window or the next, never in both and never in neither. The
 * maximum is reset the same way; it can belong to the next window by a few nanoseconds.
 */
public final class LatencyWindow {

    static final int SUB_BITS = 5;
    static final int MAX_BITS = 40;
    private static final int SUB_COUNT = 1 << SUB_BITS;
    private static final long MAX_VALUE = (1L << MAX_BITS) - 1;
    static final int BUCKETS = SUB_COUNT + (MAX_BITS - SUB_BITS) * SUB_COUNT;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong max = new AtomicLong();

    /** Records one latency; negative values (a clock step) count as 0. Allocation-free, thread-safe. */
    public void record(long nanos) {
        long value = Math.clamp(nanos, 0, MAX_VALUE);
        counts.incrementAndGet(bucketOf(value));
        long seen = max.get();
        while (value > seen && !max.compareAndSet(seen, value)) {
            seen = max.get();
        }
    }

    /** The window's count, p50, p99 and maximum; resets the window. Called by one thread at a time. */
    public LatencySummary drain() {
        long[] drained = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            drained[i] = counts.getAndSet(i, 0);
            total += drained[i];
        }
        long windowMax = max.getAndSet(0);
        if (total == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(total, micros(percentile(drained, total, 0.50, windowMax)),
                micros(percentile(drained, total, 0.99, windowMax)), micros(windowMax));
    }

    /** The bucket of a value in {@code [0, 2^MAX_BITS)}. */
    static int bucketOf(long value) {
        if (value < SUB_COUNT) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value); // >= SUB_BITS
        int shift = exponent - SUB_BITS;
        int mantissa = (int) (value >>> shift) & (SUB_COUNT - 1);
        return SUB_COUNT + shift * SUB_COUNT + mantissa;
    }

    /** The smallest value of bucket {@code index}. */
    static long lowerBound(int index) {
        if (index < SUB_COUNT) {
            return index;
        }
        int shift = (index - SUB_COUNT) / SUB_COUNT;
        int mantissa = (index - SUB_COUNT) % SUB_COUNT;
        return (long) (SUB_COUNT + mantissa) << shift;
    }

    /** The largest value of bucket {@code index}. */
    static long upperBound(int index) {
        return index == BUCKETS - 1 ? MAX_VALUE : lowerBound(index + 1) - 1;
    }

    private static long percentile(long[] drained, long total, double quantile, long windowMax) {
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += drained[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), windowMax);
            }
        }
        return windowMax; // unreachable: the counts sum to total
    }

    /** Nanoseconds to microseconds, rounded up so that a sub-microsecond latency does not read as 0. */
    private static long micros(long nanos) {
        return (nanos + 999) / 1_000;
    }
}
