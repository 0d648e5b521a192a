package io.ruvector.cdc.throttle;

import java.time.Duration;

/**
 * Settings of the ingestion throttle.
 *
 * @param bulkThreshold    changes of one collection in one batch from which they count as a bulk
 *                         load (medium risk), default 100
 * @param minAdmitFraction admit fraction applied when a gate answers defer or reject, which the
 *                         capture cannot do to a committed PostgreSQL write; default 0.1
 * @param maxPausePerBatch longest pause after one batch, default 10 s
 * @param slotLagGuardBytes the throttle is lifted while the replication slot holds more WAL than
 *                         this (a slot past {@code max_slot_wal_keep_size} is lost); default 1 GiB
 */
public record ThrottleSettings(int bulkThreshold, double minAdmitFraction, Duration maxPausePerBatch,
                               long slotLagGuardBytes) {

    public static final ThrottleSettings DEFAULTS = new ThrottleSettings(100, 0.1, Duration.ofSeconds(10), 1L << 30);

    public ThrottleSettings {
        if (bulkThreshold < 1) {
            throw new IllegalArgumentException("throttle bulkThreshold must be >= 1, was " + bulkThreshold);
        }
        if (!(minAdmitFraction > 0 && minAdmitFraction <= 1)) {
            throw new IllegalArgumentException("throttle minAdmitFraction must be in (0, 1], was " + minAdmitFraction);
        }
        if (maxPausePerBatch == null || maxPausePerBatch.isNegative()) {
            throw new IllegalArgumentException("throttle maxPausePerBatch must be >= 0, was " + maxPausePerBatch);
        }
        if (slotLagGuardBytes < 1) {
            throw new IllegalArgumentException("throttle slotLagGuardBytes must be >= 1, was " + slotLagGuardBytes);
        }
    }
}
