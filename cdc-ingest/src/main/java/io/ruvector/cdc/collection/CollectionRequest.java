package io.ruvector.cdc.collection;

import io.ruvector.schemas.Metric;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a user asks to register; {@link CollectionIntrospector} completes it from the table.
 *
 * @param table schema-qualified, or unqualified for {@code public}
 */
public record CollectionRequest(String name, String table, String idColumn, String vectorColumn, Metric metric,
                                String tenantColumn, List<String> metadataColumns, int hnswM,
                                int hnswEfConstruction, int partitions) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    public CollectionRequest {
        require(name != null && NAME.matcher(name).matches(), "name must match " + NAME.pattern() + ", got '" + name + "'");
        require(table != null && !table.isBlank(), "table is required");
        table = table.contains(".") ? table : "public." + table;
        for (String part : table.split("\\.", -1)) {
            require(IDENTIFIER.matcher(part).matches(), "table '" + table + "' must be schema.table of plain identifiers");
        }
        require(table.split("\\.").length == 2, "table '" + table + "' must be schema.table");
        require(idColumn != null && IDENTIFIER.matcher(idColumn).matches(), "id_column is required (a column name)");
        require(vectorColumn != null && IDENTIFIER.matcher(vectorColumn).matches(), "vector_column is required (a column name)");
        metric = metric == null ? Metric.L2 : metric;
        require(tenantColumn == null || IDENTIFIER.matcher(tenantColumn).matches(), "tenant_column must be a column name");
        metadataColumns = metadataColumns == null ? List.of() : List.copyOf(metadataColumns);
        metadataColumns.forEach(c -> require(IDENTIFIER.matcher(c).matches(), "metadata column '" + c + "' is not a column name"));
        hnswM = hnswM == 0 ? 16 : hnswM;
        hnswEfConstruction = hnswEfConstruction == 0 ? 64 : hnswEfConstruction;
        require(hnswM >= 2 && hnswM <= 100, "index.m must be in [2, 100], got " + hnswM);
        require(hnswEfConstruction >= 4 && hnswEfConstruction <= 1000, "index.ef_construction must be in [4, 1000], got " + hnswEfConstruction);
        partitions = partitions == 0 ? Integer.MAX_VALUE : partitions;
        require(partitions >= 1, "partitions must be >= 1, got " + partitions);
    }

    /** Parses {@code l2}, {@code cosine}, {@code ip}, {@code l1} and pgvector's operators. */
    public static Metric metric(String text) {
        Objects.requireNonNull(text, "metric");
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "l2", "euclidean", "<->" -> Metric.L2;
            case "cosine", "<=>" -> Metric.COSINE;
            case "ip", "inner_product", "<#>" -> Metric.IP;
            case "l1", "manhattan", "<+>" -> Metric.L1;
            default -> throw new IllegalArgumentException("unknown metric '" + text + "': use l2, cosine, ip or l1");
        };
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
