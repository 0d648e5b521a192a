package io.ruvector.compose.bench;

import java.util.Arrays;

/** Sorted latency samples in nanoseconds, with the percentiles a report prints. */
record Latencies(long[] sortedNanos) {

    static Latencies of(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new Latencies(copy);
    }

    /** The {@code p}-th percentile (nearest rank) in milliseconds; NaN without samples. */
    double percentileMs(double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    /** The mean in milliseconds; NaN without samples. */
    double meanMs() {
        return sortedNanos.length == 0 ? Double.NaN : Arrays.stream(sortedNanos).average().orElseThrow() / 1e6;
    }

    int count() {
        return sortedNanos.length;
    }
}
