package io.ruvector.compose.http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Body of {@code POST /v1/collections/{name}/search}; JSON names are snake_case. {@code vector}
 * and {@code filter} stay JSON trees so that {@link SearchParser} can name the exact element at
 * fault (a string {@code "NaN"} in the vector, an {@code {"in": [...]}} filter).
 *
 * @param k          hits wanted, 1..10000 (default 10)
 * @param metric     default: the collection's metric
 * @param exact      true: brute force, pgvector's exact answer; default false (HNSW graph where one exists)
 * @param efSearch   graph candidates, 1..10000 (default 40, at least k)
 * @param minLsn     PostgreSQL LSN text to wait for (read-your-writes)
 * @param timeoutMs  how long to wait for {@code min_lsn}, 0..60000 (default 5000)
 */
record SearchBody(JsonNode vector, Integer k, String metric, Boolean exact, Integer efSearch, JsonNode filter,
                  String tenant, String minLsn, Long timeoutMs) {
}
