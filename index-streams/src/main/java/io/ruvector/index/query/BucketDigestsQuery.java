package io.ruvector.index.query;

import java.util.Objects;

/**
 * IQv2 query: the {@link BucketDigests} of the partition's live rows of {@code collection}. One
 * pass over the rows under the store's read lock; rows of the cold tier are read from the store.
 * Reading a row for a digest does not count as using it (the tiers' idle clock is left alone).
 */
public record BucketDigestsQuery(String collection) implements VectorIndexQuery<BucketDigests> {

    public BucketDigestsQuery {
        Objects.requireNonNull(collection, "collection");
    }
}
