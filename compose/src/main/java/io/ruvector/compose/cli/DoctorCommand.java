package io.ruvector.compose.cli;

import io.ruvector.cdc.doctor.DoctorReport;
import io.ruvector.cdc.doctor.DoctorTarget;
import io.ruvector.cdc.doctor.PgDoctor;
import io.ruvector.cdc.engine.PgConnectionSettings;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ruvector doctor}: checks that a PostgreSQL server is ready for RuVector Streams' CDC
 * capture and prints every problem with the SQL or setting that fixes it.
 *
 * <p>Exit codes: 0 ready (warnings allowed), 1 at least one ERROR finding, 2 bad arguments or
 * the server could not be reached.
 */
@Command(name = "doctor",
        description = {
            "Checks that a PostgreSQL server is ready for RuVector Streams CDC capture (Debezium, pgoutput,"
                    + " one replication slot and one publication per deployment).",
            "Prints every finding as [OK]/[WARN]/[ERROR] with the exact SQL or setting that fixes it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ready (warnings allowed)", "1:at least one ERROR finding",
            "2:invalid arguments or PostgreSQL unreachable"})
public final class DoctorCommand implements Callable<Integer> {

    /** Exit code when the server cannot be reached. */
    public static final int EXIT_CANNOT_CONNECT = 2;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "--pg", required = true, paramLabel = "URL",
            description = "PostgreSQL to check: postgresql://user:password@host:port/database"
                    + " or jdbc:postgresql://host:port/database?user=..&password=..")
    String pgUrl;

    @Option(names = "--pg-user", paramLabel = "USER", description = "user name (overrides the one in --pg)")
    String pgUser;

    @Option(names = "--pg-password", paramLabel = "PASSWORD",
            description = "password (overrides the one in --pg; if neither is given, PGPASSWORD is used)")
    String pgPassword;

    @Option(names = "--table", paramLabel = "SCHEMA.TABLE:COLUMN",
            description = "registered table and its vector column, e.g. public.items:embedding (repeatable)")
    List<String> tables = new ArrayList<>();

    @Option(names = "--slot", paramLabel = "NAME", description = "this deployment's replication slot name")
    String slot;

    @Option(names = "--publication", paramLabel = "NAME", description = "this deployment's publication name")
    String publication;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "connection timeout in seconds (default: ${DEFAULT-VALUE})")
    int connectTimeoutSeconds;

    @Override
    public Integer call() {
        PgConnectionSettings settings = settings();
        List<DoctorTarget> targets = targets();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        Properties props = settings.jdbcProperties();
        props.setProperty("connectTimeout", String.valueOf(connectTimeoutSeconds));
        props.setProperty("ApplicationName", "ruvector doctor");
        Connection connection;
        try {
            connection = DriverManager.getConnection(settings.jdbcUrl(), props);
        } catch (SQLException e) {
            err.println("cannot connect to PostgreSQL at " + settings.host() + ":" + settings.port() + " (database "
                    + settings.database() + ", user " + settings.user() + "): " + firstLine(e));
            err.flush();
            return EXIT_CANNOT_CONNECT;
        }
        try (connection) {
            out.println("ruvector doctor: " + settings.user() + "@" + settings.host() + ":" + settings.port() + "/"
                    + settings.database());
            DoctorReport report = PgDoctor.examine(connection, targets, publication, slot);
            out.print(report.format());
            out.flush();
            return report.exitCode();
        } catch (SQLException e) {
            // only close() can throw here; the report is already printed
            return EXIT_CANNOT_CONNECT;
        }
    }

    private PgConnectionSettings settings() {
        PgConnectionSettings settings;
        try {
            settings = PgConnectionSettings.parse(pgUrl, pgUser, pgPassword);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--pg': " + e.getMessage());
        }
        String envPassword = System.getenv("PGPASSWORD");
        if (settings.password() == null && envPassword != null) {
            settings = settings.withCredentials(null, envPassword);
        }
        return settings;
    }

    private List<DoctorTarget> targets() {
        List<DoctorTarget> targets = new ArrayList<>();
        for (String table : tables) {
            try {
                targets.add(DoctorTarget.parse(table));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--table': " + e.getMessage());
            }
        }
        return targets;
    }

    private static String firstLine(SQLException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int nl = msg.indexOf('\n');
        return nl >= 0 ? msg.substring(0, nl) : msg;
    }
}
