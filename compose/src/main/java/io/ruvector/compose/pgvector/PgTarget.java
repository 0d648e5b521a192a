package io.ruvector.compose.pgvector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A registered table as PostgreSQL sees it: where the rows are and how pgvector compares them.
 * Renders the SQL that asks pgvector what the index is asked: quoted names, the distance
 * operator of a metric, the query literal of the column's type, and the column read as floats.
 *
 * @param table          schema-qualified table, e.g. {@code public.items}
 * @param columnType     the vector column's type as {@code format_type} prints it ({@code vector(3)}, {@code real[]}, ...)
 * @param dimensions     the collection's dimensions
 * @param tenantColumn   null when the collection has no tenants
 */
public record PgTarget(String table, String idColumn, String vectorColumn, String columnType, int dimensions,
                       String tenantColumn, List<String> metadataColumns) {

    public PgTarget {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(idColumn, "idColumn");
        Objects.requireNonNull(vectorColumn, "vectorColumn");
        Objects.requireNonNull(columnType, "columnType");
        metadataColumns = metadataColumns == null ? List.of() : List.copyOf(metadataColumns);
    }

    /** Looks the vector column's type up; an {@link IllegalArgumentException} naming what is missing. */
    public static PgTarget describe(Connection connection, String table, String idColumn, String vectorColumn,
                                    int dimensions, String tenantColumn, List<String> metadataColumns) throws SQLException {
        try (PreparedStatement type = connection.prepareStatement(
                "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                        + "WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND NOT a.attisdropped")) {
            type.setString(1, table);
            type.setString(2, vectorColumn);
            try (ResultSet rs = type.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("PostgreSQL has no column " + table + "." + vectorColumn
                            + " (is --pg the database the collection captures?)");
                }
                return new PgTarget(table, idColumn, vectorColumn, rs.getString(1), dimensions, tenantColumn, metadataColumns);
            }
        }
    }

    /** The base type: {@code vector}, {@code halfvec}, {@code sparsevec} or {@code real[]}. */
    public String baseType() {
        String t = columnType.toLowerCase(Locale.ROOT);
        int paren = t.indexOf('(');
        return paren < 0 ? t : t.substring(0, paren);
    }

    /** The column as pgvector compares it: an array column is cast to {@code vector}. */
    public String vectorExpression() {
        return switch (baseType()) {
            case "vector", "halfvec", "sparsevec" -> quote(vectorColumn);
            default -> quote(vectorColumn) + "::vector";
        };
    }

    /** The cast of a query parameter given as text ({@link #literal}). */
    public String queryCast() {
        return switch (baseType()) {
            case "halfvec" -> "::halfvec";
            case "sparsevec" -> "::sparsevec";
            default -> "::vector";
        };
    }

    /** The column read as {@code real[]} (sparse vectors expanded), for {@link java.sql.Array}. */
    public String floatsExpression() {
        return switch (baseType()) {
            case "vector", "halfvec" -> quote(vectorColumn) + "::real[]";
            case "sparsevec" -> quote(vectorColumn) + "::vector::real[]";
            default -> quote(vectorColumn) + "::real[]";
        };
    }

    /** {@code vector} as pgvector's text input for this column's type. */
    public String literal(float[] vector) {
        StringBuilder sb = new StringBuilder();
        if (baseType().equals("sparsevec")) {
            sb.append('{');
            boolean first = true;
            for (int i = 0; i < vector.length; i++) {
                if (vector[i] != 0f) {
                    sb.append(first ? "" : ",").append(i + 1).append(':').append(vector[i]);
                    first = false;
                }
            }
            return sb.append("}/").append(vector.length).toString();
        }
        sb.append('[');
        for (int i = 0; i < vector.length; i++) {
            sb.append(i == 0 ? "" : ",").append(vector[i]);
        }
        return sb.append(']').toString();
    }

    /** The quoted, schema-qualified table. */
    public String quotedTable() {
        int dot = table.indexOf('.');
        return dot < 0 ? quote(table) : quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
    }

    /** pgvector's operator of a metric name ({@code l2}, {@code cosine}, {@code ip}, {@code l1}). */
    public static String operator(String metric) {
        return switch (metric.toLowerCase(Locale.ROOT)) {
            case "l2" -> "<->";
            case "cosine" -> "<=>";
            case "ip" -> "<#>";
            case "l1" -> "<+>";
            default -> throw new IllegalArgumentException("unknown metric '" + metric + "'; use l2, cosine, ip or l1");
        };
    }

    /** The operator-class suffix pgvector's index of a metric uses ({@code vector_l2_ops} ...). */
    public static String opsSuffix(String metric) {
        return "_" + switch (metric.toLowerCase(Locale.ROOT)) {
            case "l2" -> "l2";
            case "cosine" -> "cosine";
            case "ip" -> "ip";
            case "l1" -> "l1";
            default -> throw new IllegalArgumentException("unknown metric '" + metric + "'");
        } + "_ops";
    }

    /** An SQL identifier, double-quoted. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
