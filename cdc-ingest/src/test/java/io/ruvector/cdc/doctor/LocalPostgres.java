package io.ruvector.cdc.doctor;

import io.ruvector.cdc.engine.PgConnectionSettings;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Test access to the local PostgreSQL: JDBC as the configured role, superuser SQL through
 * {@code runuser -u postgres -- psql} (needs root on the database host), and a throwaway cluster.
 */
final class LocalPostgres {

    static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final String DEFAULT_URL = "postgresql://ruvector:ruvector@127.0.0.1:5432/ruvector";

    private LocalPostgres() {
    }

    static PgConnectionSettings settings() {
        String url = System.getenv("RUVECTOR_TEST_PG_URL");
        return PgConnectionSettings.parse(url == null || url.isBlank() ? DEFAULT_URL : url, null, null);
    }

    static Connection connect(PgConnectionSettings s) throws SQLException {
        return DriverManager.getConnection(s.jdbcUrl(), s.jdbcProperties());
    }

    static Connection connect(String host, int port, String db, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, props);
    }

    /** Why superuser SQL is impossible here, or {@code null} when {@link #adminSql} works. */
    static String adminUnavailableReason() {
        PgConnectionSettings s = settings();
        if (!s.host().equals("127.0.0.1") && !s.host().equals("localhost") && !s.host().equals("::1")) {
            return "admin SQL needs the database on this host, but RUVECTOR_TEST_PG_URL points at " + s.host();
        }
        if (!new File("/usr/sbin/runuser").canExecute() && !new File("/sbin/runuser").canExecute()) {
            return "runuser is not installed";
        }
        try {
            adminSql("SELECT 1");
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot run psql as OS user postgres (are we root?): " + e.getMessage();
        }
    }

    /** Runs {@code sql} as the postgres superuser over the local socket, in the test database. */
    static String adminSql(String sql) throws IOException {
        PgConnectionSettings s = settings();
        return run(List.of("runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-p", String.valueOf(s.port()), "-d", s.database(), "-c", sql), 60);
    }

    static String run(List<String> command, int timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(new File("/tmp"));
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + timeoutSeconds + " s: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + command, e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + " from " + command + ": " + output.strip());
        }
        return output;
    }

    /** A PostgreSQL 15 cluster of its own (initdb in a temp dir owned by postgres), trust auth on 127.0.0.1. */
    static final class ThrowawayCluster implements AutoCloseable {
        final Path dir;
        final int port;

        private ThrowawayCluster(Path dir, int port) {
            this.dir = dir;
            this.port = port;
        }

        /** Why no cluster can be made here, or {@code null}. */
        static String unavailableReason() {
            if (!Files.isExecutable(PG_BIN.resolve("initdb")) || !Files.isExecutable(PG_BIN.resolve("pg_ctl"))) {
                return "initdb/pg_ctl not found in " + PG_BIN;
            }
            try {
                Path probe = Files.createTempDirectory("rvdoc-probe");
                try {
                    Files.setOwner(probe, probe.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
                } finally {
                    Files.delete(probe);
                }
                run(List.of("runuser", "-u", "postgres", "--", "true"), 10);
                return null;
            } catch (UserPrincipalNotFoundException e) {
                return "OS user postgres does not exist";
            } catch (IOException | RuntimeException e) {
                return "cannot act as OS user postgres (needs root): " + e.getMessage();
            }
        }

        static ThrowawayCluster start(String... settings) throws IOException {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "rvdoc");
            Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
            ThrowawayCluster cluster = new ThrowawayCluster(dir, freePort());
            try {
                Path data = dir.resolve("data");
                run(List.of("runuser", "-u", "postgres", "--", PG_BIN.resolve("initdb").toString(), "-D", data.toString(),
                        "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"), 120);
                StringBuilder opts = new StringBuilder("-p " + cluster.port + " -k " + dir
                        + " -c listen_addresses=127.0.0.1 -c fsync=off");
                for (String s : settings) {
                    opts.append(" -c ").append(s);
                }
                run(List.of("runuser", "-u", "postgres", "--", PG_BIN.resolve("pg_ctl").toString(), "-D", data.toString(),
                        "-l", dir.resolve("server.log").toString(), "-o", opts.toString(), "-w", "-t", "60", "start"), 90);
                return cluster;
            } catch (IOException | RuntimeException e) {
                cluster.close();
                throw e;
            }
        }

        Connection connect() throws SQLException {
            return LocalPostgres.connect("127.0.0.1", port, "postgres", "postgres", null);
        }

        @Override
        public void close() throws IOException {
            Path data = dir.resolve("data");
            try {
                if (Files.exists(data.resolve("postmaster.pid"))) {
                    run(List.of("runuser", "-u", "postgres", "--", PG_BIN.resolve("pg_ctl").toString(), "-D",
                            data.toString(), "-m", "immediate", "-w", "stop"), 60);
                }
            } finally {
                deleteRecursively(dir);
            }
        }

        private static void deleteRecursively(Path root) throws IOException {
            if (!Files.exists(root)) {
                return;
            }
            List<Path> paths = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
            }
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
