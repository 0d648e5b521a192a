package io.ruvector.cdc.telemetry;

/**
 * The capture's lag in time ({@code slotLagMillis} of its samples): how old the oldest change is
 * that the slot still holds for us. The commit → capture delay of the newest change is only that
 * while changes flow; after writes stop it would stay at its last value forever, and an idle
 * collection would read as seconds behind. So:
 * <ol>
 *   <li>the slot holds at most {@code idleSlotBytes}: nothing is pending but our own watermark
 *       messages (one every 100 ms, confirmed about once a second, so the slot never reads exactly
 *       0) and background WAL → 0;</li>
 *   <li>no batch handled yet → 0 (nothing to date it by; the byte lag still counts);</li>
 *   <li>no batch for more than {@code liveWithinMillis} although the slot holds WAL and
 *       watermarks are written every 100 ms → the capture is stuck: the time since its last
 *       batch (plus that batch's delay when it had changes), growing until it moves;</li>
 *   <li>the newest batch held only watermarks → 0: the slot is read in order, so every change
 *       committed before them has been captured;</li>
 *   <li>otherwise changes are flowing → the commit → capture delay of the newest of them.</li>
 * </ol>
 */
public final class SlotLag {

    /** Default idle threshold: far above a second of watermark messages, far below a batch of vectors. */
    public static final long DEFAULT_IDLE_SLOT_BYTES = 16 * 1024;
    /** Default silence after which a capture holding WAL counts as stuck. */
    public static final long DEFAULT_LIVE_WITHIN_MILLIS = 10_000;

    private SlotLag() {
    }

    /**
     * @param nowMillis           sample time
     * @param slotLagBytes        WAL the slot holds ({@code pg_current_wal_lsn() − confirmed_flush_lsn})
     * @param lastBatchAtMillis   when the capture last handled a non-empty batch, or -1
     * @param lastBatchHadChanges whether that batch held changes (not only watermarks)
     * @param lastDelayMillis     commit → capture delay of the newest change of the last batch with changes
     */
    public static long millis(long nowMillis, long slotLagBytes, long lastBatchAtMillis, boolean lastBatchHadChanges,
                              long lastDelayMillis, long idleSlotBytes, long liveWithinMillis) {
        if (slotLagBytes <= idleSlotBytes || lastBatchAtMillis < 0) {
            return 0;
        }
        long silent = Math.max(0, nowMillis - lastBatchAtMillis);
        long delay = Math.max(0, lastDelayMillis);
        if (silent > liveWithinMillis) {
            return silent + (lastBatchHadChanges ? delay : 0);
        }
        return lastBatchHadChanges ? delay : 0;
    }
}
