package io.ruvector.index.store;

import java.util.Objects;

/**
 * A deleted id and the LSN of its delete: an older change replayed later must not resurrect it.
 *
 * @param collection   the collection
 * @param id           the row's primary key as text
 * @param lsn          LSN of the delete
 * @param snapshot     whether the delete came from a snapshot (never, in practice; kept for the rules)
 * @param commitMillis commit time of the delete (ms since the epoch), {@link #UNKNOWN_COMMIT} for a
 *                     tombstone written before commit times were kept: compaction never purges those,
 *                     because their age cannot be proven to exceed the retention window
 */
public record Tombstone(String collection, String id, long lsn, boolean snapshot, long commitMillis)
        implements StoredRow {

    /** Commit time of a tombstone stored by an index version that did not record it. */
    public static final long UNKNOWN_COMMIT = -1L;

    public Tombstone {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(id, "id");
    }

    /** A tombstone whose commit time is not known. */
    public Tombstone(String collection, String id, long lsn, boolean snapshot) {
        this(collection, id, lsn, snapshot, UNKNOWN_COMMIT);
    }
}
