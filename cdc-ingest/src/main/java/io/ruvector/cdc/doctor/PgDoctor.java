package io.ruvector.cdc.doctor;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that a PostgreSQL server is ready for RuVector Streams' CDC capture (Debezium,
 * pgoutput, one slot and one publication per deployment).
 *
 * <p>Runs every check and returns every finding; a check whose SQL fails becomes one ERROR
 * finding and the others still run. Only reads: it never changes the server. Not thread-safe
 * per connection (one JDBC connection is single-threaded).
 */
public final class PgDoctor {

    private static final Logger LOG = LoggerFactory.getLogger(PgDoctor.class);

    private final List<DoctorCheck> checks;

    public PgDoctor(List<DoctorCheck> checks) {
        this.checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
    }

    /** All built-in checks, in report order. */
    public static PgDoctor standard() {
        return new PgDoctor(List.of(new ServerCheck(), new RoleCheck(), new ExtensionCheck(),
                new TableCheck(), new PublicationCheck(), new SlotCheck()));
    }

    /** Runs the standard checks against {@code connection}; {@code publication} and {@code slot} may be null. */
    public static DoctorReport examine(Connection connection, List<DoctorTarget> targets, String publication,
                                       String slot) {
        return new DoctorReport(standard().run(new DoctorContext(connection, targets, publication, slot)));
    }

    /**
     * Runs every check. Switches the connection to auto-commit for the duration (so one failed
     * query does not abort the rest) and restores it afterwards.
     */
    public List<DoctorFinding> run(DoctorContext context) {
        Objects.requireNonNull(context, "context");
        Connection conn = context.connection();
        Boolean autoCommit = null;
        try {
            autoCommit = conn.getAutoCommit();
            if (!autoCommit) {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.debug("could not read or set auto-commit", e);
        }
        List<DoctorFinding> findings = new ArrayList<>();
        try {
            for (DoctorCheck check : checks) {
                try {
                    findings.addAll(check.run(context));
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("doctor check {} failed", check.name(), e);
                    findings.add(DoctorFinding.error(check.name(), "check could not run: " + describe(e),
                            "run doctor as a role that can read the pg_catalog views, or fix the error above"));
                }
            }
        } finally {
            restoreAutoCommit(conn, autoCommit);
        }
        return findings;
    }

    private static void restoreAutoCommit(Connection conn, Boolean autoCommit) {
        if (Boolean.FALSE.equals(autoCommit)) {
            try {
                conn.setAutoCommit(false);
            } catch (SQLException e) {
                LOG.debug("could not restore auto-commit", e);
            }
        }
    }

    private static String describe(Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            return msg + " (SQLSTATE " + sql.getSQLState() + ")";
        }
        return msg;
    }
}
