package io.ruvector.compose.migrate;

import java.util.Arrays;

/**
 * Percentiles of measured latencies, in milliseconds (nearest rank).
 *
 * @param count how many were measured
 */
public record LatencySummary(int count, double p50Ms, double p95Ms, double p99Ms, double meanMs) {

    public static LatencySummary of(long[] nanos) {
        if (nanos.length == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencySummary(sorted.length, ms(rank(sorted, 0.50)), ms(rank(sorted, 0.95)), ms(rank(sorted, 0.99)),
                Arrays.stream(sorted).average().orElse(0) / 1e6);
    }

    private static long rank(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
