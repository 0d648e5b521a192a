package io.ruvector.index.store;

/**
 * What the index keeps for one {@code collection/id}: either the live row or the tombstone of its
 * delete. Closed on purpose: the apply rules ({@link ApplyRules}) and the codec
 * ({@link StoredRowCodec}) switch over exactly these two.
 *
 * <p>Why tombstones are kept: delivery is at least once, so an UPSERT older than a DELETE can be
 * replayed after it; without the delete's LSN on record the replay would resurrect the row.
 */
public sealed interface StoredRow permits IndexedVector, Tombstone {

    String collection();

    String id();

    /** PostgreSQL LSN of the change that produced this state. */
    long lsn();

    /** True when the producing change was a snapshot read rather than a streamed change. */
    boolean snapshot();
}
