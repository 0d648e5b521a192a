package io.ruvector.index.store;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One live, searchable row: dense float32 vector plus the registered metadata columns.
 *
 * <p>The vector array is owned by the record and must not be modified; {@code equals} and
 * {@code hashCode} compare its contents (a record's default would compare references). Metadata
 * values are {@code null}, {@link String}, {@link Long}, {@link Double} or {@link Boolean}, as in
 * the {@code VectorChange} schema; the map is unmodifiable and may hold nulls.
 *
 * @param collection the collection
 * @param id         the row's primary key as text
 * @param tenant     the tenant column's value, or null when the collection has none
 * @param vector     dense components, at least one
 * @param metadata   registered metadata columns
 * @param lsn        LSN of the change that wrote this version
 * @param snapshot   true when this version came from a snapshot read
 */
public record IndexedVector(String collection, String id, String tenant, float[] vector,
                            Map<String, Object> metadata, long lsn, boolean snapshot) implements StoredRow {

    public IndexedVector {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vector, "vector");
        if (vector.length == 0) {
            throw new IllegalArgumentException("vector of " + collection + "/" + id + " has no components");
        }
        metadata = metadata == null || metadata.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Number of dimensions. */
    public int dimensions() {
        return vector.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexedVector other
                && lsn == other.lsn && snapshot == other.snapshot
                && collection.equals(other.collection) && id.equals(other.id)
                && Objects.equals(tenant, other.tenant)
                && Arrays.equals(vector, other.vector)
                && metadata.equals(other.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(collection, id, tenant, metadata, lsn, snapshot) * 31 + Arrays.hashCode(vector);
    }

    @Override
    public String toString() {
        return "IndexedVector[" + collection + "/" + id + ", tenant=" + tenant + ", dims=" + vector.length
                + ", metadata=" + metadata + ", lsn=" + lsn + ", snapshot=" + snapshot + "]";
    }
}
