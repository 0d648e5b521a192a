package io.ruvector.cdc.collection;

import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.VectorType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Completes a {@link CollectionRequest} into a {@link CollectionSpec} from the table's catalog
 * entry: checks that every named column exists, reads the vector column's pgvector type and its
 * declared dimension. Every problem is reported at once, naming the table and column.
 */
public final class CollectionIntrospector {

    private static final Pattern TYPMOD = Pattern.compile("^(vector|halfvec|sparsevec)\\((\\d+)\\)$");
    private static final Pattern ARRAY = Pattern.compile("^(real|double precision)(\\(\\d+\\))?\\[\\]$");

    private final Clock clock;

    public CollectionIntrospector(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param dimensionsHint dimension for a vector column declared without one (or an array); 0 if none
     * @param topicPartitions partitions of the vectors topic, the cap on the collection's partitions
     */
    public CollectionSpec describe(Connection connection, CollectionRequest request, int dimensionsHint,
                                   int topicPartitions) throws SQLException {
        String[] parts = request.table().split("\\.");
        Map<String, String> types = columnTypes(connection, parts[0], parts[1]);
        if (types.isEmpty()) {
            throw new IllegalArgumentException("table " + request.table() + " does not exist or has no columns visible to this role");
        }
        List<String> problems = new ArrayList<>();
        List<String> columns = new ArrayList<>(List.of(request.idColumn(), request.vectorColumn()));
        if (request.tenantColumn() != null) {
            columns.add(request.tenantColumn());
        }
        columns.addAll(request.metadataColumns());
        for (String column : columns) {
            if (!types.containsKey(column)) {
                problems.add("column " + request.table() + "." + column + " does not exist");
            }
        }
        VectorType vectorType = null;
        int dimensions = 0;
        String vectorSqlType = types.get(request.vectorColumn());
        if (vectorSqlType != null) {
            Matcher m = TYPMOD.matcher(vectorSqlType);
            if (m.matches()) {
                vectorType = VectorType.valueOf(m.group(1).toUpperCase());
                dimensions = Integer.parseInt(m.group(2));
            } else if (vectorSqlType.equals("vector") || vectorSqlType.equals("halfvec") || vectorSqlType.equals("sparsevec")
                    || ARRAY.matcher(vectorSqlType).matches()) {
                vectorType = vectorSqlType.equals("sparsevec") ? VectorType.SPARSEVEC
                        : vectorSqlType.equals("halfvec") ? VectorType.HALFVEC : VectorType.VECTOR;
                dimensions = dimensionsHint;
                if (dimensions <= 0) {
                    problems.add("column " + request.table() + "." + request.vectorColumn() + " (" + vectorSqlType
                            + ") declares no dimension: give dimensions explicitly");
                }
            } else {
                problems.add("column " + request.table() + "." + request.vectorColumn() + " is " + vectorSqlType
                        + ", not a pgvector vector/halfvec/sparsevec or a real[] column");
            }
            if (dimensionsHint > 0 && dimensions > 0 && dimensionsHint != dimensions) {
                problems.add("dimensions " + dimensionsHint + " contradict the column's declared " + dimensions);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return CollectionSpec.newBuilder()
                .setName(request.name())
                .setTable(request.table())
                .setIdColumn(request.idColumn())
                .setVectorColumn(request.vectorColumn())
                .setVectorType(vectorType)
                .setDimensions(dimensions)
                .setMetric(request.metric())
                .setTenantColumn(request.tenantColumn())
                .setMetadataColumns(request.metadataColumns())
                .setHnswM(request.hnswM())
                .setHnswEfConstruction(request.hnswEfConstruction())
                .setPartitions(Math.min(request.partitions(), topicPartitions))
                .setCreatedAtMillis(clock.millis())
                .build();
    }

    private static Map<String, String> columnTypes(Connection connection, String schema, String table) throws SQLException {
        String sql = """
                SELECT a.attname, format_type(a.atttypid, a.atttypmod)
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped""";
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, schema);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return types;
    }
}
