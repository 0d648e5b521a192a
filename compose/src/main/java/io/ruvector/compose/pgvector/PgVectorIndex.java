package io.ruvector.compose.pgvector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A pgvector index (HNSW or IVFFlat) on a table's vector column for one metric: what the user's
 * reads use today, and so the second answer {@code migrate verify} compares.
 *
 * @param name       the index's name
 * @param method     {@code hnsw} or {@code ivfflat}
 * @param definition {@code pg_get_indexdef}, with its operator class and options
 */
public record PgVectorIndex(String name, String method, String definition) {

    /** The index of {@code target}'s vector column built for {@code metric}'s operator class, if any. */
    public static Optional<PgVectorIndex> find(Connection connection, PgTarget target, String metric) throws SQLException {
        String ops = PgTarget.opsSuffix(metric);
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT c.relname, am.amname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                        + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
                        + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) "
                        + "WHERE i.indrelid = to_regclass(?) AND a.attname = ? AND am.amname IN ('hnsw', 'ivfflat') "
                        + "ORDER BY c.relname")) {
            query.setString(1, target.table());
            query.setString(2, target.vectorColumn());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    String definition = rs.getString(3);
                    if (definition.contains(ops + ")") || definition.contains(ops + " ")) {
                        return Optional.of(new PgVectorIndex(rs.getString(1), rs.getString(2), definition));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
