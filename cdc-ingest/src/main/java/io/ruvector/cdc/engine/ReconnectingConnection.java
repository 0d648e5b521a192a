package io.ruvector.cdc.engine;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One autocommit JDBC connection for a periodic job: opened on first use, dropped with
 * {@link #reset()} after a failure and opened again on the next use, so a restarted PostgreSQL
 * costs the job one failed round. Not thread-safe: one job thread uses it.
 */
public final class ReconnectingConnection implements AutoCloseable {

    private final PgConnectionSettings postgres;
    private Connection connection;

    public ReconnectingConnection(PgConnectionSettings postgres) {
        this.postgres = postgres;
    }

    /** The open connection, opening a new one when there is none or it was closed. */
    public Connection get() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
            connection.setAutoCommit(true);
        }
        return connection;
    }

    /** Closes the connection quietly; the next {@link #get()} opens a new one. */
    public void reset() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // already broken
        }
        connection = null;
    }

    @Override
    public void close() {
        reset();
    }
}
