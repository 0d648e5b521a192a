package io.ruvector.index.query;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * IQv2 query: the state (live or deleted, and its version) each of {@code ids} has in this
 * partition; ids the partition never saw are absent. What the merge of a search asks during a
 * bucket hand-off, and what a point lookup uses to pick the newest state across partitions.
 *
 * @param withRows also return the live rows (vectors and metadata), for lookups
 */
public record RowVersionsQuery(String collection, Set<String> ids, boolean withRows)
        implements VectorIndexQuery<Map<String, RowVersion>> {

    public RowVersionsQuery {
        Objects.requireNonNull(collection, "collection");
        ids = Set.copyOf(Objects.requireNonNull(ids, "ids"));
    }
}
