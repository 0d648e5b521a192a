package io.ruvector.index.query;

/**
 * The state one partition holds for an id: a live row or a deleted one (a tombstone), with the
 * version that wrote it. Versions order as the apply rules do: a streamed change supersedes a
 * snapshot read; among the same kind the higher LSN wins.
 *
 * @param lsn      LSN of the change that wrote this state
 * @param snapshot whether it came from a snapshot read
 * @param deleted  true for a tombstone
 * @param row      the live row when asked for ({@link RowVersionsQuery#withRows()}), else null
 */
public record RowVersion(long lsn, boolean snapshot, boolean deleted, VectorRecord row) {

    /** Whether this state replaces {@code other} (strictly newer). */
    public boolean supersedes(RowVersion other) {
        if (snapshot != other.snapshot) {
            return other.snapshot;
        }
        return lsn > other.lsn;
    }
}
