package io.ruvector.index.query;

import org.apache.kafka.streams.query.Query;

/**
 * The IQv2 queries the vector index store answers. Kafka's {@link Query} javadoc names a custom
 * query plus a custom store as the route for queries the built-in ones cannot express; the set
 * is closed so that the store handles it with one exhaustive {@code switch}.
 *
 * @param <R> the per-partition result type
 */
public sealed interface VectorIndexQuery<R> extends Query<R> permits KnnQuery, WatermarkQuery, GetVectorQuery, StatsQuery,
        CollectionsQuery, SampleQuery, RowVersionsQuery, BucketDigestsQuery, BucketRowsQuery {
}
