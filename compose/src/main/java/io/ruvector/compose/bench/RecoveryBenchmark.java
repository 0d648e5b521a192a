package io.ruvector.compose.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.dataset.TableLoader;
import io.ruvector.compose.dataset.VectorDataset;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./ruvector bench recovery}: a runtime in a child process ({@code ./ruvector run}) indexes
 * {@code rows} × {@code dimensions}, waits for its graph snapshots, is killed with SIGKILL and
 * restarted on the same data directory, twice: once with nothing written while it was down, once
 * with a backlog written meanwhile. Each restart is timed to the HTTP port, to
 * {@code /health/ready} and to complete answers (the stats count equals the table's). The
 * backlog's catch-up rate is set against the rate the index applied the initial load at.
 */
public final class RecoveryBenchmark {

    private static final String TABLE = "bench_recovery";
    private static final String COLLECTION = "bench_recovery";
    private static final String DEPLOYMENT = "bench_recovery";
    private static final int PARTITIONS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PgConnectionSettings pg;
    private final Path workDir;
    private final int rows;
    private final int dimensions;
    private final int backlogRows;
    private final long seed;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public RecoveryBenchmark(PgConnectionSettings pg, Path workDir, int rows, int dimensions, int backlogRows, long seed) {
        if (rows < 1 || dimensions < 1 || backlogRows < 0) {
            throw new IllegalArgumentException("rows and dimensions must be >= 1, the backlog >= 0");
        }
        this.pg = pg;
        this.workDir = workDir;
        this.rows = rows;
        this.dimensions = dimensions;
        this.backlogRows = backlogRows;
        this.seed = seed;
    }

    public void run(PrintStream out) throws Exception {
        out.printf("bench recovery: rows=%d dimensions=%d backlog=%d seed=%d cores=%d%n", rows, dimensions, backlogRows, seed,
                Runtime.getRuntime().availableProcessors());
        try (BenchCleanup cleanup = new BenchCleanup(pg, DEPLOYMENT, List.of(TABLE))) {
            cleanup.dropLeftovers();
            io.ruvector.compose.runtime.RuntimeLifecycle.deleteRecursively(workDir);
            writeClassDataArchive(out);
            out.println(ChildJava.classDataShared()
                    ? "the runtime's JVMs map the class data archive " + ChildJava.classDataArchive().orElseThrow()
                    : "the runtime's JVMs start without a class data archive");
            measure(out);
        }
    }

    /**
     * Where the launcher gave an archive that does not exist yet (the jars were just built), one
     * clean start and stop of the runtime writes it, as a user's first {@code ./ruvector run}
     * stopped with Ctrl-C does: the restarts below are then timed as a user's would be.
     */
    private void writeClassDataArchive(PrintStream out) throws Exception {
        java.util.Optional<Path> archive = ChildJava.classDataArchive();
        if (archive.isEmpty() || Files.isRegularFile(archive.get())) {
            return;
        }
        long start = System.nanoTime();
        Path dir = workDir.resolveSibling(workDir.getFileName() + "-class-data");
        io.ruvector.compose.runtime.RuntimeLifecycle.deleteRecursively(dir);
        int port = FreePorts.next();
        Child child = Child.start(ChildJava.cliWritingClassData("1g"), dir, port, pg, DEPLOYMENT + "_cds");
        try {
            awaitReady(port, child, Duration.ofMinutes(2));
        } finally {
            child.process.destroy(); // SIGTERM: a clean exit, which writes the archive
            if (!child.process.waitFor(2, TimeUnit.MINUTES)) {
                child.kill();
            }
            io.ruvector.compose.runtime.RuntimeLifecycle.deleteRecursively(dir);
        }
        out.printf("class data archive written in %.1f s (one clean start and stop of the runtime): %s%n",
                (System.nanoTime() - start) / 1e9, Files.isRegularFile(archive.get()) ? archive.get() : "failed, none");
    }

    private void measure(PrintStream out) throws Exception {
        VectorDataset data = VectorDataset.clustered(rows, dimensions, 50, 0, seed);
        try (Connection c = connect()) {
            TableLoader.load(c, TABLE, data, done -> { });
        }
        int port = FreePorts.next();
        Child runtime = Child.start(workDir, port, pg);
        try {
            awaitReady(port, runtime, Duration.ofMinutes(2));
            long start = System.nanoTime();
            post(port, "/v1/collections", "{\"name\":\"" + COLLECTION + "\",\"table\":\"public." + TABLE
                    + "\",\"id_column\":\"id\",\"vector_column\":\"embedding\"}");
            awaitCount(port, rows, runtime, Duration.ofMinutes(20));
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            double loadRate = rows / loadSeconds;
            out.printf("initial load: %,d rows indexed %.1f s after registration (%,.0f rows/s: the snapshot through the"
                    + " capture into the graphs)%n", rows, loadSeconds, loadRate);
            long snapshotWait = System.nanoTime();
            awaitSnapshots(runtime, Duration.ofMinutes(3));
            out.printf("graph snapshots on disk %.1f s after the load (written once a burst of changes has settled for 10 s,%n"
                    + "  else every 60 s of changes)%n",
                    (System.nanoTime() - snapshotWait) / 1e9);

            runtime.kill();
            Restart quiet = restart(port, rows);
            runtime = quiet.child;
            out.printf("SIGKILL, nothing written while down:  HTTP %5.1f s, ready %5.1f s, complete %5.1f s"
                    + "  (goal: ready <= 5 s)%n", quiet.httpSeconds, quiet.readySeconds, quiet.completeSeconds);

            if (backlogRows > 0) {
                runtime.kill();
                insertBacklog(rows + 1, backlogRows);
                Restart behind = restart(port, rows + backlogRows);
                runtime = behind.child;
                double catchUp = backlogRows / Math.max(1e-3, behind.completeSeconds - quiet.completeSeconds);
                out.printf("SIGKILL, %,d rows written while down: HTTP %5.1f s, ready %5.1f s, complete %5.1f s%n",
                        backlogRows, behind.httpSeconds, behind.readySeconds, behind.completeSeconds);
                out.printf("backlog catch-up: %,.0f rows/s (extra time over the quiet restart), %.2f x the initial load's"
                        + " rate (goal >= 3 x the steady rate)%n", catchUp, catchUp / loadRate);
            }
        } finally {
            runtime.kill();
        }
    }

    private record Restart(Child child, double httpSeconds, double readySeconds, double completeSeconds) {
    }

    private Restart restart(int port, long expectedRows) throws Exception {
        long start = System.nanoTime();
        Child child = Child.start(workDir, port, pg);
        awaitPort(port, child, Duration.ofMinutes(2));
        double httpSeconds = (System.nanoTime() - start) / 1e9;
        awaitReady(port, child, Duration.ofMinutes(10));
        double readySeconds = (System.nanoTime() - start) / 1e9;
        awaitCount(port, expectedRows, child, Duration.ofMinutes(10));
        double completeSeconds = (System.nanoTime() - start) / 1e9;
        return new Restart(child, httpSeconds, readySeconds, completeSeconds);
    }

    private void insertBacklog(long firstId, int count) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("SELECT setseed(0.42)");
            st.execute("INSERT INTO " + TABLE + " (id, embedding, label) SELECT g, (SELECT array_agg(random()::real) FROM "
                    + "generate_series(1, " + dimensions + ") d WHERE g > 0)::vector, 'backlog' FROM generate_series("
                    + firstId + ", " + (firstId + count - 1) + ") g");
        }
    }

    private void awaitSnapshots(Child child, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path state = workDir.resolve("index-state");
        while (System.nanoTime() < deadline) {
            child.checkAlive();
            try (Stream<Path> files = Files.exists(state) ? Files.walk(state) : Stream.empty()) {
                if (files.filter(p -> p.getFileName().toString().equals(COLLECTION + ".graph")).count() >= PARTITIONS) {
                    return; // one per partition
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no graph snapshot within " + timeout.toSeconds() + " s under " + state);
    }

    private void awaitPort(int port, Child child, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            child.checkAlive();
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(10);
            }
        }
        throw new IllegalStateException("the runtime's HTTP port did not open within " + timeout.toSeconds() + " s");
    }

    private void awaitReady(int port, Child child, Duration timeout) throws Exception {
        awaitPort(port, child, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            child.checkAlive();
            Reply ready = get(port, "/health/ready");
            if (ready.status() == 200) {
                return;
            }
            last = ready.body();
            Thread.sleep(20);
        }
        throw new IllegalStateException("not ready within " + timeout.toSeconds() + " s: " + last);
    }

    private void awaitCount(int port, long expected, Child child, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = -1;
        while (System.nanoTime() < deadline) {
            child.checkAlive();
            Reply stats = get(port, "/v1/collections/" + COLLECTION + "/stats");
            if (stats.status() == 200) {
                JsonNode body = JSON.readTree(stats.body());
                count = body.path("count").asLong();
                if (count == expected) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the index held " + count + " of " + expected + " rows after " + timeout.toSeconds() + " s");
    }

    /** An HTTP answer; status 0 when the connection failed (the runtime not listening yet): the poll goes on. */
    private record Reply(int status, String body) {
    }

    private Reply get(int port, String path) throws Exception {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Reply(0, e.getMessage());
        }
    }

    private void post(int port, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }


    /** {@code ./ruvector run} as a child JVM of this one (same classpath), its output in the work directory. */
    private record Child(Process process) {

        static Child start(Path workDir, int port, PgConnectionSettings pg) throws IOException {
            return start(ChildJava.cli("4g"), workDir, port, pg, DEPLOYMENT);
        }

        static Child start(List<String> java, Path workDir, int port, PgConnectionSettings pg, String deployment)
                throws IOException {
            Files.createDirectories(workDir);
            List<String> command = new java.util.ArrayList<>(java);
            command.addAll(List.of("run", "--data-dir", workDir.toString(),
                    "--http-port", Integer.toString(port), "--kafka-port", "0", "--controller-port", "0",
                    "--deployment", deployment, "--partitions", Integer.toString(PARTITIONS), "--pg", "postgresql://" + pg.host() + ":" + pg.port() + "/" + pg.database(),
                    "--pg-user", pg.user(), "--pg-password", pg.password()));
            Path log = workDir.resolve("child-console.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new Child(process);
        }

        void checkAlive() {
            if (!process.isAlive()) {
                throw new IllegalStateException("the runtime exited with " + process.exitValue()
                        + " (its console is in child-console.log of the work directory)");
            }
        }

        /** SIGKILL on Linux: no shutdown hook, no flush, no snapshot at close. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
