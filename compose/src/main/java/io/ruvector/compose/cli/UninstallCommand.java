package io.ruvector.compose.cli;

import io.ruvector.cdc.engine.PgConnectionSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code ./ruvector uninstall}: drops the replication slot and publication of a capture
 * deployment. A forgotten slot keeps WAL on the server until the disk fills (or
 * {@code max_slot_wal_keep_size} invalidates it).
 */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Drop a capture deployment's replication slot and publication from PostgreSQL (stop the runtime first).")
final class UninstallCommand implements Callable<Integer> {

    private static final Pattern DEPLOYMENT = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    @Mixin
    PgOptions pg = new PgOptions();

    @Option(names = "--deployment", defaultValue = "default", description = "capture deployment; default ${DEFAULT-VALUE}")
    String deployment;

    @Override
    public Integer call() throws Exception {
        if (!DEPLOYMENT.matcher(deployment).matches()) {
            throw new IllegalArgumentException("deployment '" + deployment + "' must match " + DEPLOYMENT.pattern());
        }
        String name = "ruvector_" + deployment;
        PgConnectionSettings settings = pg.settings();
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())) {
            try (PreparedStatement st = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
                st.setString(1, name);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        throw new IllegalStateException("slot " + name + " is in use: stop the runtime of deployment "
                                + deployment + " first");
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                st.setString(1, name);
                st.execute();
            }
            try (Statement st = c.createStatement()) {
                st.execute("DROP PUBLICATION IF EXISTS " + name);
            }
        }
        System.out.println("dropped replication slot and publication " + name + " (if they existed)");
        return 0;
    }
}
