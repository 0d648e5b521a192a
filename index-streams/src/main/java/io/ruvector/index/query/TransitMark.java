package io.ruvector.index.query;

/**
 * A hit whose bucket is being handed between partitions: another partition may hold a newer
 * state of the same id (docs/topics.md, Bucket hand-off). The merge asks {@code peer} for its
 * version of the id and keeps only the newest one.
 *
 * @param peer     the other partition of the hand-off
 * @param lsn      LSN of the version this partition returned
 * @param snapshot whether that version came from a snapshot read (a streamed change supersedes it)
 */
public record TransitMark(int peer, long lsn, boolean snapshot) {

    /** This hit's version as a {@link RowVersion} (live). */
    public RowVersion version() {
        return new RowVersion(lsn, snapshot, false, null);
    }
}
