package io.ruvector.cdc.doctor;

import java.util.Locale;
import java.util.Objects;

/**
 * A registered table and its vector column, as the doctor should check them.
 *
 * <p>Names follow PostgreSQL's rules: unquoted parts fold to lower case, {@code "Quoted"} parts
 * keep their case. A table without a schema is taken to be in {@code public}.
 *
 * @param table        schema-qualified table name, e.g. {@code public.items}
 * @param vectorColumn the pgvector column, e.g. {@code embedding}
 */
public record DoctorTarget(String table, String vectorColumn) {

    public DoctorTarget {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(vectorColumn, "vectorColumn");
        if (table.isBlank()) {
            throw new IllegalArgumentException("table name is empty");
        }
        if (vectorColumn.isBlank()) {
            throw new IllegalArgumentException("vector column of table " + table + " is empty");
        }
    }

    /**
     * Parses {@code schema.table:column} (the form of the {@code --table} option).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static DoctorTarget parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        int colon = spec.lastIndexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException("table '" + spec + "' must look like schema.table:vector_column, e.g. public.items:embedding");
        }
        return new DoctorTarget(spec.substring(0, colon).strip(), spec.substring(colon + 1).strip());
    }

    /** Catalog name of the schema ({@code public} when the table has none). */
    public String schemaName() {
        int dot = splitDot();
        return dot < 0 ? "public" : catalogName(table.substring(0, dot));
    }

    /** Catalog name of the table, without schema. */
    public String tableName() {
        int dot = splitDot();
        return catalogName(dot < 0 ? table : table.substring(dot + 1));
    }

    /** Catalog name of the vector column. */
    public String columnName() {
        return catalogName(vectorColumn);
    }

    /** {@code schema.table}, quoted where SQL needs it, for use in fix statements. */
    public String qualifiedSql() {
        return Sql.ident(schemaName()) + "." + Sql.ident(tableName());
    }

    /** Human form {@code schema.table}. */
    public String displayName() {
        return schemaName() + "." + tableName();
    }

    /** The first dot outside double quotes, or -1. */
    private int splitDot() {
        boolean quoted = false;
        for (int i = 0; i < table.length(); i++) {
            char c = table.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static String catalogName(String part) {
        String p = part.strip();
        if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
            return p.substring(1, p.length() - 1).replace("\"\"", "\"");
        }
        return p.toLowerCase(Locale.ROOT);
    }
}
