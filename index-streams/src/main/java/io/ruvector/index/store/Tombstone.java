package io.ruvector.index.store;

import java.util.Objects;

/**
 * A deleted id and the LSN of its delete: an older change replayed later must not resurrect it.
 *
 * @param collection the collection
 * @param id         the row's primary key as text
 * @param lsn        LSN of the delete
 * @param snapshot   whether the delete came from a snapshot (never, in practice; kept for the rules)
 */
public record Tombstone(String collection, String id, long lsn, boolean snapshot) implements StoredRow {

    public Tombstone {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(id, "id");
    }
}
