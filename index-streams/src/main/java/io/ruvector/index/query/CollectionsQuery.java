package io.ruvector.index.query;

import java.util.Set;

/**
 * IQv2 query: the collections this partition holds (those it has index structures for: it has
 * held a live row of them since the store was opened), sorted.
 */
public record CollectionsQuery() implements VectorIndexQuery<Set<String>> {
}
