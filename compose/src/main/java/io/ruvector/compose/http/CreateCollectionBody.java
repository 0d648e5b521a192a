package io.ruvector.compose.http;

import java.util.List;

/**
 * Body of {@code POST /v1/collections}; JSON names are snake_case ({@code id_column}).
 * Validation is {@link io.ruvector.cdc.collection.CollectionRequest}'s, so the CLI and the API
 * accept exactly the same collections.
 *
 * @param metric     l2 (default), cosine, ip, l1 or a pgvector operator
 * @param dimensions used only when the column's type does not declare them
 * @param partitions how many vector partitions to spread over (default: all)
 */
record CreateCollectionBody(String name, String table, String idColumn, String vectorColumn, String metric,
                            Integer dimensions, String tenantColumn, List<String> metadataColumns, IndexOptions index,
                            Integer partitions) {

    /** HNSW build parameters, {@code {"m": 16, "ef_construction": 64}}. */
    record IndexOptions(Integer m, Integer efConstruction) {
    }
}
