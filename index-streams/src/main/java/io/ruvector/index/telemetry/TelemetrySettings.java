package io.ruvector.index.telemetry;

import java.time.Duration;

/**
 * Settings of the index's integrity telemetry; TELEMETRY-NOTES.md describes each. Null durations
 * take their defaults; {@link #DEFAULTS} holds every default. The compact constructor validates,
 * naming the setting.
 *
 * @param sampleInterval   how often one sample per hosted collection is published (10 s, the
 *                         integrity loop's cadence)
 * @param centroidInterval how often each collection's centroids are recomputed (60 s); samples in
 *                         between repeat the last ones. Effectively at least {@code sampleInterval}
 * @param centroids        k-means k at most (16, 1..256); a sample of n vectors gets
 *                         {@code min(centroids, n / 10)}
 * @param reservoir        vectors sampled per collection across the local partitions for k-means
 *                         (2,000); 0 turns centroids off
 * @param kmeansIterations Lloyd iterations at most (10); they stop early once no assignment changes
 * @param jobOverrun       a maintenance job running longer than this is reported as overrunning (30 s)
 */
public record TelemetrySettings(Duration sampleInterval, Duration centroidInterval, int centroids, int reservoir,
                                int kmeansIterations, Duration jobOverrun) {

    /** The integrity graph keeps at most this many centroids (ARCHITECTURE.md §4). */
    public static final int MAX_CENTROIDS = 256;
    public static final int MAX_RESERVOIR = 1_000_000;
    public static final int MAX_ITERATIONS = 1_000;

    public static final TelemetrySettings DEFAULTS = new TelemetrySettings(null, null, 16, 2_000, 10, null);

    public TelemetrySettings {
        sampleInterval = positive("sampleInterval", sampleInterval, Duration.ofSeconds(10));
        centroidInterval = positive("centroidInterval", centroidInterval, Duration.ofSeconds(60));
        jobOverrun = positive("jobOverrun", jobOverrun, Duration.ofSeconds(30));
        inRange("centroids", centroids, 1, MAX_CENTROIDS);
        inRange("reservoir", reservoir, 0, MAX_RESERVOIR);
        inRange("kmeansIterations", kmeansIterations, 1, MAX_ITERATIONS);
    }

    /** k for a sample of {@code sampleSize} vectors: one centroid per 10 sampled vectors at most. */
    public int centroidsFor(int sampleSize) {
        return Math.min(centroids, sampleSize / 10);
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        Duration d = value == null ? fallback : value;
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("index telemetry " + name + " must be > 0, was " + d);
        }
        return d;
    }

    private static void inRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("index telemetry " + name + " must be in " + min + ".." + max
                    + ", was " + value);
        }
    }
}
