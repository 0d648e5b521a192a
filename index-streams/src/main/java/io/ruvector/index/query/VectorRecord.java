package io.ruvector.index.query;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A live row as a point lookup returns it: a copy, safe to keep and to hand to other threads.
 * {@code equals} compares the vector's contents (a record's default would compare references).
 *
 * @param collection the collection
 * @param id         the row's primary key as text
 * @param tenant     the tenant column's value, or null
 * @param vector     dense components (owned by this record; do not modify)
 * @param metadata   the registered metadata columns (unmodifiable)
 * @param lsn        LSN of the change that wrote this version
 */
public record VectorRecord(String collection, String id, String tenant, float[] vector, Map<String, Object> metadata,
                           long lsn) {

    public VectorRecord {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vector, "vector");
        metadata = metadata == null ? Map.of() : metadata;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorRecord other && lsn == other.lsn && collection.equals(other.collection)
                && id.equals(other.id) && Objects.equals(tenant, other.tenant) && Arrays.equals(vector, other.vector)
                && metadata.equals(other.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(collection, id, tenant, metadata, lsn) * 31 + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "VectorRecord[" + collection + "/" + id + ", tenant=" + tenant + ", dims=" + vector.length
                + ", metadata=" + metadata + ", lsn=" + lsn + "]";
    }
}
