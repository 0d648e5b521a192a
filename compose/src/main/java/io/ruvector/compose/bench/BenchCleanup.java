package io.ruvector.compose.bench;

import io.ruvector.cdc.engine.PgConnectionSettings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a benchmark created in PostgreSQL, dropped when it ends, also on Ctrl-C (a shutdown hook):
 * the deployment's replication slot (a slot left behind holds WAL for ever), its publication and
 * the benchmark's tables. The runtime, if one is attached, is closed first so that its slot is no
 * longer active. Runs once; drop failures are reported, never thrown over the benchmark's result.
 */
final class BenchCleanup implements AutoCloseable {

    private static final long SLOT_RELEASE_MILLIS = 15_000;

    private final PgConnectionSettings pg;
    private final String deployment;
    private final List<String> tables;
    private final AtomicReference<AutoCloseable> runtime = new AtomicReference<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private final Thread hook;

    /** Drops slot and publication {@code ruvector_<deployment>} and {@code tables}; installs the Ctrl-C hook. */
    BenchCleanup(PgConnectionSettings pg, String deployment, List<String> tables) {
        this.pg = pg;
        this.deployment = deployment;
        this.tables = List.copyOf(tables);
        this.hook = new Thread(this::cleanUp, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The running runtime, closed before the slot is dropped when the benchmark is interrupted. */
    void attach(AutoCloseable running) {
        runtime.set(running);
    }

    /** Drops what earlier runs may have left (an inactive slot, the publication); tables are recreated by the bench. */
    void dropLeftovers() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                    + slot() + "' AND NOT active");
            st.execute("DROP PUBLICATION IF EXISTS " + slot());
        }
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) { // already shutting down: the hook runs (and finds the work done)
        }
    }

    private void cleanUp() {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        AutoCloseable running = runtime.getAndSet(null);
        if (running != null) {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("bench cleanup: closing the runtime failed: " + e.getMessage());
            }
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            long deadline = System.currentTimeMillis() + SLOT_RELEASE_MILLIS;
            while (slotActive(c) && System.currentTimeMillis() < deadline) {
                Thread.sleep(200); // the walsender exits shortly after the capture closes its connection
            }
            st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                    + slot() + "' AND NOT active");
            if (slotActive(c)) {
                System.err.println("bench cleanup: replication slot " + slot() + " is still in use; drop it with "
                        + "SELECT pg_drop_replication_slot('" + slot() + "')");
            }
            st.execute("DROP PUBLICATION IF EXISTS " + slot());
            for (String table : tables) {
                st.execute("DROP TABLE IF EXISTS " + table);
            }
        } catch (SQLException e) {
            System.err.println("bench cleanup: " + e.getMessage() + " (slot " + slot() + ", publication and tables "
                    + tables + " may be left)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean slotActive(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            q.setString(1, slot());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private String slot() {
        return "ruvector_" + deployment;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }
}
