package io.ruvector.index.query;

import java.util.Map;
import java.util.Objects;

/**
 * One search hit: the row's id, its pgvector distance to the query and its metadata.
 *
 * @param id       the row's primary key as text
 * @param distance pgvector's distance (smaller is closer; NaN sorts last, as in PostgreSQL)
 * @param metadata the row's metadata columns (unmodifiable)
 */
public record KnnHit(String id, double distance, Map<String, Object> metadata) implements Comparable<KnnHit> {

    public KnnHit {
        Objects.requireNonNull(id, "id");
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** Distance ascending (NaN last, like {@code float8} in PostgreSQL), ties by id: one global order. */
    @Override
    public int compareTo(KnnHit other) {
        int byDistance = Double.compare(distance, other.distance);
        return byDistance != 0 ? byDistance : id.compareTo(other.id);
    }
}
