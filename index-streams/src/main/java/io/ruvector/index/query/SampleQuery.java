package io.ruvector.index.query;

import java.util.List;
import java.util.Objects;

/**
 * IQv2 query: up to {@code max} of the partition's live vectors of {@code collection} (copies),
 * drawn uniformly at random without replacement; every live vector when there are no more than
 * {@code max}. The same {@code seed} over the same rows draws the same sample. Costs one pass over
 * the collection's rows under the store's read lock.
 */
public record SampleQuery(String collection, int max, long seed) implements VectorIndexQuery<List<float[]>> {

    public SampleQuery {
        Objects.requireNonNull(collection, "collection");
        if (max < 0) {
            throw new IllegalArgumentException("sample size must be >= 0, was " + max);
        }
    }
}
