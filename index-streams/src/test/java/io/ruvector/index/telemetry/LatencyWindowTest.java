package io.ruvector.index.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.kernel.RandomVectors;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link LatencyWindow} against exact nearest-rank percentiles of random samples, and its window semantics. */
class LatencyWindowTest {

    @Test
    void shouldPlaceEveryValueInABucketThatHoldsItAndIsAtMostAThirtySecondWide() {
        SplittableRandom random = new SplittableRandom(RandomVectors.seed("latency-buckets"));
        for (int i = 0; i < 200_000; i++) {
            long value = i < 2_000 ? i : random.nextLong(1L << random.nextInt(1, 41));
            int bucket = LatencyWindow.bucketOf(value);
            assertThat(bucket).isBetween(0, LatencyWindow.BUCKETS - 1);
            assertThat(value).as("value %d in bucket %d", value, bucket)
                    .isBetween(LatencyWindow.lowerBound(bucket), LatencyWindow.upperBound(bucket));
            long width = LatencyWindow.upperBound(bucket) - LatencyWindow.lowerBound(bucket) + 1;
            assertThat(width * 32).isLessThanOrEqualTo(Math.max(32, LatencyWindow.lowerBound(bucket)));
        }
        for (int bucket = 1; bucket < LatencyWindow.BUCKETS; bucket++) { // contiguous, no gaps or overlaps
            assertThat(LatencyWindow.lowerBound(bucket)).isEqualTo(LatencyWindow.upperBound(bucket - 1) + 1);
        }
    }

    @Test
    void shouldReportPercentilesWithinOneBucketOfTheExactOnesWhenSamplesAreRandom() {
        SplittableRandom random = new SplittableRandom(RandomVectors.seed("latency-percentiles"));
        LatencyWindow window = new LatencyWindow();
        for (int round = 0; round < 20; round++) {
            int n = 1 + random.nextInt(5_000);
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) { // log-normal-ish: microseconds to tens of milliseconds
                nanos[i] = (long) Math.exp(7 + 4 * random.nextDouble() + 2 * random.nextDouble());
                window.record(nanos[i]);
            }
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            LatencySummary summary = window.drain();
            assertThat(summary.count()).isEqualTo(n);
            assertWithinBucket(summary.p50Micros(), exact(sorted, 0.50));
            assertWithinBucket(summary.p99Micros(), exact(sorted, 0.99));
            assertThat(summary.maxMicros()).isEqualTo(micros(sorted[n - 1]));
        }
    }

    @Test
    void shouldStartEmptyAgainWhenDrained() {
        LatencyWindow window = new LatencyWindow();
        window.record(5_000_000);
        assertThat(window.drain().p99Micros()).isEqualTo(5_000);
        assertThat(window.drain()).isEqualTo(LatencySummary.EMPTY);
        window.record(10);
        assertThat(window.drain()).isEqualTo(new LatencySummary(1, 1, 1, 1));
    }

    @Test
    void shouldClampValuesBeyondTheRangeAndBelowZero() {
        LatencyWindow window = new LatencyWindow();
        window.record(-5);
        window.record(Long.MAX_VALUE);
        LatencySummary summary = window.drain();
        assertThat(summary.count()).isEqualTo(2);
        assertThat(summary.p50Micros()).isZero();
        assertThat(summary.maxMicros()).isEqualTo(micros((1L << LatencyWindow.MAX_BITS) - 1));
    }

    @Test
    void shouldCountEveryValueOnceWhenThreadsRecordWhileTheWindowIsDrained() throws Exception {
        LatencyWindow window = new LatencyWindow();
        int threads = 4;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        window.record(1_000 + i % 977);
                    }
                    return null;
                });
            }
            start.countDown();
            pool.shutdown();
            long counted = 0;
            while (!pool.awaitTermination(1, TimeUnit.MILLISECONDS)) {
                counted += window.drain().count();
            }
            counted += window.drain().count();
            assertThat(counted).isEqualTo((long) threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Nearest rank: the value at rank ⌈q·n⌉ (1-based). */
    private static long exact(long[] sorted, double quantile) {
        return sorted[(int) Math.max(1, Math.ceil(quantile * sorted.length)) - 1];
    }

    private static void assertWithinBucket(long reportedMicros, long exactNanos) {
        int bucket = LatencyWindow.bucketOf(exactNanos);
        assertThat(reportedMicros).as("exact %d ns", exactNanos)
                .isBetween(micros(exactNanos), micros(LatencyWindow.upperBound(bucket)));
    }

    private static long micros(long nanos) {
        return (nanos + 999) / 1_000;
    }
}
