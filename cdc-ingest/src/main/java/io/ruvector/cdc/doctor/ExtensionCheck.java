package io.ruvector.cdc.doctor;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * pgvector is installed in this database, at 0.7.0 or newer ({@code halfvec} and
 * {@code sparsevec} arrived in 0.7.0).
 */
public final class ExtensionCheck implements DoctorCheck {

    static final int[] MIN_FULL_VERSION = {0, 7, 0};

    @Override
    public String name() {
        return PGVECTOR;
    }

    @Override
    public List<DoctorFinding> run(DoctorContext ctx) throws SQLException {
        String installed = null;
        String available = null;
        try (PreparedStatement ps = ctx.connection().prepareStatement(
                "SELECT (SELECT extversion FROM pg_extension WHERE extname = 'vector'),"
                        + " (SELECT default_version FROM pg_available_extensions WHERE name = 'vector')");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                installed = rs.getString(1);
                available = rs.getString(2);
            }
        }
        if (installed == null) {
            String fix = available != null
                    ? "CREATE EXTENSION vector;  -- in this database, by its owner or a superuser"
                    : "install pgvector on the server (e.g. apt install postgresql-15-pgvector), then CREATE EXTENSION vector;";
            return List.of(DoctorFinding.error(PGVECTOR, "extension vector (pgvector) is not installed in this database"
                    + (available != null ? " (version " + available + " is available on the server)" : ""), fix));
        }
        if (compareVersions(installed, MIN_FULL_VERSION) < 0) {
            return List.of(DoctorFinding.warn(PGVECTOR, "pgvector " + installed
                    + " is older than 0.7.0: vector works, halfvec and sparsevec do not exist",
                    "ALTER EXTENSION vector UPDATE;  -- after installing pgvector 0.7.0 or newer on the server"));
        }
        return List.of(DoctorFinding.ok(PGVECTOR, "pgvector " + installed + " (vector, halfvec, sparsevec)"));
    }

    /** Compares a dotted version such as {@code 0.8.0} (missing or non-numeric parts count as 0). */
    static int compareVersions(String version, int[] other) {
        String[] parts = version.split("[.\\-]");
        for (int i = 0; i < other.length; i++) {
            int v = 0;
            if (i < parts.length) {
                try {
                    v = Integer.parseInt(parts[i]);
                } catch (NumberFormatException e) {
                    v = 0;
                }
            }
            if (v != other[i]) {
                return Integer.compare(v, other[i]);
            }
        }
        return 0;
    }
}
