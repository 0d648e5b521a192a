package io.ruvector.compose.it;

import io.ruvector.cdc.engine.PgConnectionSettings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The real local PostgreSQL + pgvector the integration tests run against (provisioned by ./ruvector test). */
final class TestPostgres {

    /** The test database as a {@code --pg} URL. */
    static final String URL = System.getenv().getOrDefault("RUVECTOR_TEST_PG_URL",
            "postgresql://ruvector:ruvector@127.0.0.1:5432/ruvector");
    static final PgConnectionSettings SETTINGS = PgConnectionSettings.parse(URL, null, null);

    private TestPostgres() {
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(SETTINGS.jdbcUrl(), SETTINGS.user(), SETTINGS.password());
    }

    static void exec(String... statements) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    static List<List<Object>> query(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** A short unique suffix for tables, slots and deployments of one test. */
    static String unique() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    /** Drops a deployment's slot and publication (the slot would otherwise keep WAL forever). */
    static void dropDeployment(String deployment) throws SQLException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                exec("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'ruvector_" + deployment + "'",
                        "DROP PUBLICATION IF EXISTS ruvector_" + deployment);
                return;
            } catch (SQLException e) {
                if (!e.getMessage().contains("is active")) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
