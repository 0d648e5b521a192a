package io.ruvector.compose.runtime;

import io.ruvector.cdc.engine.PgConnectionSettings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Checks, before anything starts, that the PostgreSQL to capture from is reachable and can
 * do logical decoding: a runtime that started anyway would only retry in the background.
 * The full list of checks is {@code ./ruvector doctor}.
 */
final class PostgresPreflight {

    private PostgresPreflight() {
    }

    /**
     * Checks {@code pg} and returns its current WAL position (as {@code pg_lsn - '0/0'}): what a
     * restarted runtime must have made searchable before it says it is ready.
     */
    static long check(PgConnectionSettings pg) {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('wal_level'), "
                     + "EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector'), "
                     + "pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            if (!"logical".equals(rs.getString(1))) {
                throw new IllegalStateException("PostgreSQL at " + pg.host() + ":" + pg.port() + " has wal_level = "
                        + rs.getString(1) + "; capture needs logical: ALTER SYSTEM SET wal_level = logical; then restart"
                        + " PostgreSQL (./ruvector doctor lists every other requirement)");
            }
            if (!rs.getBoolean(2)) {
                throw new IllegalStateException("PostgreSQL at " + pg.host() + ":" + pg.port()
                        + " has no pgvector extension available (install pgvector; ./ruvector provision does on Debian/Ubuntu)");
            }
            return rs.getLong(3);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to PostgreSQL at " + pg.host() + ":" + pg.port() + " (database "
                    + pg.database() + ", user " + pg.user() + "): " + e.getMessage(), e);
        }
    }
}
