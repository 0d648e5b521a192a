package io.ruvector.compose.shadow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One collection's shadow reads on this instance: counts, mean overlap@k, the latencies of both
 * answers, and the newest mismatches. Thread-safe.
 */
final class ShadowStats {

    /**
     * A shadowed search whose answer differed from PostgreSQL's.
     *
     * @param missing ids PostgreSQL returned that the index did not (ties at the k-th distance excepted)
     * @param extra   ids the index returned that PostgreSQL did not
     */
    record Mismatch(String at, String tenant, int k, double overlap, List<String> missing, List<String> extra,
                    double indexMs, double postgresMs) {
    }

    /** What {@code GET …/shadow} shows of this instance. */
    record View(long shadowed, long mismatched, long errors, long dropped, Double meanOverlap, Double minOverlap,
                Double meanIndexMs, Double meanPostgresMs, Double meanDifferenceMs, String lastError,
                List<Mismatch> mismatches) {
    }

    private final int kept;
    private final Deque<Mismatch> recent = new ArrayDeque<>();
    private long shadowed;
    private long mismatched;
    private long errors;
    private long dropped;
    private double overlapSum;
    private double minOverlap = 1;
    private double indexMsSum;
    private double postgresMsSum;
    private String lastError;

    ShadowStats(int kept) {
        this.kept = kept;
    }

    synchronized void record(double overlap, double indexMs, double postgresMs, Mismatch mismatch) {
        shadowed++;
        overlapSum += overlap;
        minOverlap = Math.min(minOverlap, overlap);
        indexMsSum += indexMs;
        postgresMsSum += postgresMs;
        if (mismatch != null) {
            mismatched++;
            if (kept > 0) {
                if (recent.size() == kept) {
                    recent.removeFirst();
                }
                recent.addLast(mismatch);
            }
        }
    }

    synchronized void error(String message) {
        errors++;
        lastError = message;
    }

    synchronized void dropped() {
        dropped++;
    }

    synchronized View view() {
        boolean any = shadowed > 0;
        return new View(shadowed, mismatched, errors, dropped, any ? overlapSum / shadowed : null, any ? minOverlap : null,
                any ? indexMsSum / shadowed : null, any ? postgresMsSum / shadowed : null,
                any ? (postgresMsSum - indexMsSum) / shadowed : null, lastError, new ArrayList<>(recent).reversed());
    }
}
