package io.ruvector.index.query;

import java.util.Objects;
import java.util.Optional;

/** IQv2 query: the live row {@code collection/id} if this partition holds it. */
public record GetVectorQuery(String collection, String id) implements VectorIndexQuery<Optional<VectorRecord>> {

    public GetVectorQuery {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(id, "id");
    }
}
