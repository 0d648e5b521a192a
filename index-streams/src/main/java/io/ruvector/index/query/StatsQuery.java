package io.ruvector.index.query;

import java.util.Objects;

/** IQv2 query: one partition's counts and memory for a collection (zeros when it holds none of it). */
public record StatsQuery(String collection) implements VectorIndexQuery<CollectionStats> {

    public StatsQuery {
        Objects.requireNonNull(collection, "collection");
    }
}
