package io.ruvector.compose.dataset;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.IntConsumer;

/**
 * Creates a pgvector table {@code (id bigint primary key, embedding vector(d), label text)} and
 * fills it from a {@link VectorDataset} with COPY, the way a user's bulk load would arrive.
 */
public final class TableLoader {

    private static final int BATCH_ROWS = 1_000;

    private TableLoader() {
    }

    /** Drops and recreates {@code table}, then copies every row (ids 1..n); reports progress per batch. */
    public static void load(Connection connection, String table, VectorDataset data, IntConsumer progress) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS vector");
            st.execute("DROP TABLE IF EXISTS " + table);
            st.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(" + data.dimensions()
                    + ") NOT NULL, label text)");
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (id, embedding, label) FROM STDIN");
            StringBuilder line = new StringBuilder(data.dimensions() * 8);
            for (int i = 0; i < data.size(); i++) {
                line.setLength(0);
                line.append(i + 1).append('\t').append('[');
                float[] v = data.vectors()[i];
                for (int d = 0; d < v.length; d++) {
                    if (d > 0) {
                        line.append(',');
                    }
                    line.append(v[d]);
                }
                line.append(']').append('\t').append(data.labels()[i]).append('\n');
                byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                if ((i + 1) % BATCH_ROWS == 0) {
                    progress.accept(i + 1);
                }
            }
            copy.endCopy();
            connection.commit();
            progress.accept(data.size());
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Text of {@code v} as a pgvector literal. */
    public static String literal(float[] v) {
        StringBuilder s = new StringBuilder(v.length * 8).append('[');
        for (int d = 0; d < v.length; d++) {
            if (d > 0) {
                s.append(',');
            }
            s.append(v[d]);
        }
        return s.append(']').toString();
    }
}
