package io.ruvector.index.telemetry;

/**
 * One window of a {@link LatencyWindow}: how many latencies were recorded and their nearest-rank
 * p50 / p99 and maximum, in microseconds (0 when nothing was recorded).
 */
public record LatencySummary(long count, long p50Micros, long p99Micros, long maxMicros) {

    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0);
}
