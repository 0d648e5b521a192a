package io.ruvector.compose.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code POST /v1/collections/{name}/search}; JSON names are snake_case. {@code vector}
 * streams into floats ({@link QueryVector}, which keeps the element at fault for the 400);
 * {@code filter} stays a JSON tree so that {@link SearchParser} can name the condition at fault.
 *
 * @param vector       the query as a JSON array of numbers
 * @param vectorBase64 or the query as little-endian float32, base64 (one of the two)
 * @param k          hits wanted, 1..10000 (default 10)
 * @param metric     default: the collection's metric
 * @param exact      true: brute force, pgvector's exact answer; default false (HNSW graph where one exists)
 * @param efSearch   graph candidates, 1..10000 (default 40, at least k)
 * @param minLsn     PostgreSQL LSN text to wait for (read-your-writes)
 * @param timeoutMs  how long to wait for {@code min_lsn}, 0..60000 (default 5000)
 */
record SearchBody(QueryVector vector, String vectorBase64, Integer k, String metric, Boolean exact, Integer efSearch, JsonNode filter,
                  String tenant, String minLsn, Long timeoutMs) {
}
