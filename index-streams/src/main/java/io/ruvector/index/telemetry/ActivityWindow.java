package io.ruvector.index.telemetry;

import java.util.Map;

/**
 * One partition's activity over one sample window, drained from its {@link PartitionCounters}.
 *
 * @param applies          changes run through the apply rules (stored or dropped)
 * @param failedApplies    of those, dropped as unusable (dimension mismatch, no vector)
 * @param queries          kNN queries answered or failed
 * @param failedQueries    of those, failed (e.g. a query vector of the wrong dimension)
 * @param stored           changes stored, per collection (collections with none are absent)
 * @param applyLatency     time spent applying each change
 * @param queryLatency     time the store spent answering each kNN query
 * @param lastCommitMicros commit time of the last change processed on the partition (ever, not
 *                         only in this window), {@link #NO_COMMIT} before the first
 */
public record ActivityWindow(long applies, long failedApplies, long queries, long failedQueries,
                             Map<String, Long> stored, LatencySummary applyLatency, LatencySummary queryLatency,
                             long lastCommitMicros) {

    /** {@link #lastCommitMicros} of a partition that has processed no change since this instance started. */
    public static final long NO_COMMIT = Long.MIN_VALUE;

    /** A partition that did nothing (and has processed no change) since this instance started. */
    public static final ActivityWindow IDLE = new ActivityWindow(0, 0, 0, 0, Map.of(), LatencySummary.EMPTY,
            LatencySummary.EMPTY, NO_COMMIT);

    public ActivityWindow {
        stored = Map.copyOf(stored);
    }

    /** Changes of {@code collection} stored in the window. */
    public long stored(String collection) {
        return stored.getOrDefault(collection, 0L);
    }

    /** Failed applies and queries over all of them, 0 when there were none. */
    public double errorRate() {
        long all = applies + queries;
        return all == 0 ? 0.0 : (double) (failedApplies + failedQueries) / all;
    }

    /** The larger of the apply and query p99. */
    public long p99Micros() {
        return Math.max(applyLatency.p99Micros(), queryLatency.p99Micros());
    }
}
