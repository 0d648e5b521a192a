package io.ruvector.index.query;

/**
 * IQv2 query: the partition's watermark LSN ({@code -1} before the first watermark), which
 * read-your-writes waits on (docs/topics.md, "Watermark").
 */
public record WatermarkQuery() implements VectorIndexQuery<Long> {
}
