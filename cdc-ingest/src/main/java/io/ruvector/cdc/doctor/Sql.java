package io.ruvector.cdc.doctor;

import java.util.Set;
import java.util.regex.Pattern;

/** Quoting for the SQL that fix lines print; never used to build queries (those bind parameters). */
final class Sql {

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    private Sql() {
    }

    /** An identifier, double-quoted only when PostgreSQL would otherwise fold or reject it. */
    static String ident(String name) {
        if (PLAIN.matcher(name).matches() && !Keywords.RESERVED.contains(name)) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A string literal. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static final class Keywords {
        static final Set<String> RESERVED = java.util.Set.of(
                "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
                "check", "collate", "column", "constraint", "create", "current_catalog", "current_date", "current_role",
                "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc", "distinct", "do",
                "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in",
                "initially", "intersect", "into", "lateral", "leading", "limit", "localtime", "localtimestamp", "not",
                "null", "offset", "on", "only", "or", "order", "placing", "primary", "references", "returning",
                "select", "session_user", "some", "symmetric", "system_user", "table", "then", "to", "trailing", "true",
                "union", "unique", "user", "using", "variadic", "when", "where", "window", "with");
    }
}
