package io.ruvector.compose.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.dataset.TableLoader;
import io.ruvector.compose.dataset.VectorDataset;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.index.cluster.IndexPlacement;
import io.ruvector.index.topology.FailoverSettings;
import io.ruvector.schemas.Metric;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code ./ruvector bench failover}: two index instances — this process (broker, capture, index,
 * HTTP) and {@code ./ruvector run --index-only} in a child JVM — share {@code partitions}
 * partitions of {@code rows} × {@code dimensions} clustered rows, each partition with a standby on
 * the other. Client threads search this instance exactly (every answer checked against pgvector's
 * exact top-k, computed before; a writer adds rows that never rank) while the child is killed with
 * SIGKILL and, later, started again on its data directory. Reported per phase: searches, failed
 * share, the longest run of failures, wrong answers, answers served partly by standbys, latency;
 * the time until every partition is active on the survivor; the time until the returning instance
 * holds partitions again. Goals (issue 16): no failed search longer than 5 s, 0 wrong answers.
 */
public final class FailoverBenchmark {

    private static final String TABLE = "bench_failover";
    private static final String COLLECTION = "bench_failover";
    private static final String DEPLOYMENT = "bench_failover";
    private static final int K = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PgConnectionSettings pg;
    private final Path workDir;
    private final int rows;
    private final int dimensions;
    private final int partitions;
    private final int clients;
    private final Duration after;
    private final boolean standbyReads;
    private final long seed;

    public FailoverBenchmark(PgConnectionSettings pg, Path workDir, int rows, int dimensions, int partitions, int clients,
                             Duration after, boolean standbyReads, long seed) {
        if (rows < 100 || dimensions < 1 || partitions < 2 || clients < 1 || after.toSeconds() < 5) {
            throw new IllegalArgumentException("failover needs >= 100 rows, >= 2 partitions, >= 1 client and >= 5 s after the kill");
        }
        this.pg = pg;
        this.workDir = workDir;
        this.rows = rows;
        this.dimensions = dimensions;
        this.partitions = partitions;
        this.clients = clients;
        this.after = after;
        this.standbyReads = standbyReads;
        this.seed = seed;
    }

    /** One search: when it ended, how long it took, its status (-1: no answer), right or not, partly from a standby. */
    private record Outcome(long endNanos, long micros, int status, boolean right, boolean standby) {
    }

    public void run(PrintStream out) throws Exception {
        FailoverSettings failover = FailoverSettings.DEFAULT.withStandbyReads(standbyReads);
        out.printf("bench failover: rows=%d dimensions=%d partitions=%d clients=%d after=%ds standby-reads=%s session=%d ms"
                        + " seed=%d cores=%d%n", rows, dimensions, partitions, clients, after.toSeconds(), standbyReads,
                failover.sessionTimeout().toMillis(), seed, Runtime.getRuntime().availableProcessors());
        io.ruvector.compose.runtime.RuntimeLifecycle.deleteRecursively(workDir);
        try (BenchCleanup cleanup = new BenchCleanup(pg, DEPLOYMENT, List.of(TABLE))) {
            cleanup.dropLeftovers();
            VectorDataset data = VectorDataset.clustered(rows, dimensions, 50, 100, seed);
            try (Connection c = connect()) {
                TableLoader.load(c, TABLE, data, done -> { });
            }
            List<List<String>> expected = new ArrayList<>();
            for (float[] query : data.queries()) {
                expected.add(pgvectorTop(query));
            }
            Path first = workDir.resolve("a");
            Path second = workDir.resolve("b");
            try (EmbeddedRuntime runtime = new EmbeddedRuntime(RuntimeConfig.of(first, pg)
                    .withBroker(BrokerConfig.ephemeral(first)).withDeployment(DEPLOYMENT).withVectorPartitions(partitions)
                    .withHttp(HttpSettings.loopback(0)).withFailover(failover)).start()) {
                cleanup.attach(runtime);
                measure(out, runtime, second, data, expected);
            }
        }
    }

    private void measure(PrintStream out, EmbeddedRuntime runtime, Path childDir, VectorDataset data,
                         List<List<String>> expected) throws Exception {
        int portA = runtime.serveHttp(0).port();
        int portB = FreePorts.next();
        HostInfo hostA = new HostInfo("127.0.0.1", portA);
        HostInfo hostB = new HostInfo("127.0.0.1", portB);
        runtime.register(new CollectionRequest(COLLECTION, "public." + TABLE, "id", "embedding", Metric.L2, null, List.of(),
                0, 0, 0), dimensions);
        Process child = startChild(runtime, childDir, portB);
        try {
            awaitPlacement(runtime, Set.of(hostA, hostB), Duration.ofMinutes(3));
            awaitCount(portA, rows, Duration.ofMinutes(10));
            if (standbyReads) {
                awaitStandbys(runtime, hostB, Duration.ofMinutes(3));
            }
            out.printf("two instances share %d partitions; %,d rows indexed; standby copies here caught up%n", partitions,
                    rows);

            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            List<Thread> load = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int offset = c;
                load.add(Thread.ofPlatform().name("failover-client-" + c).start(() ->
                        searchLoop(portA, data.queries(), expected, offset, running, outcomes)));
            }
            AtomicLong written = new AtomicLong();
            Thread writer = Thread.ofPlatform().name("failover-writer").start(() -> writeLoop(running, written));
            try {
                Thread.sleep(5_000);
                long killed = System.nanoTime();
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
                long moved = awaitPlacement(runtime, Set.of(hostA), after.plusMinutes(1)) - killed;
                sleepUntil(killed + after.toNanos());
                report(out, "kill → +" + after.toSeconds() + " s", outcomes, killed, killed + after.toNanos());
                out.println("  " + integrity(portA));
                out.printf("  every partition active on the survivor %.1f s after the kill (group session %d ms)%n",
                        moved / 1e9, FailoverSettings.DEFAULT.sessionTimeout().toMillis());

                long restarted = System.nanoTime();
                child = startChild(runtime, childDir, portB);
                long back = awaitPlacement(runtime, Set.of(hostA, hostB), Duration.ofMinutes(3)) - restarted;
                sleepUntil(restarted + after.toNanos());
                report(out, "restart → +" + after.toSeconds() + " s", outcomes, restarted, restarted + after.toNanos());
                out.println("  " + integrity(portA));
                out.printf("  the returning instance holds partitions again %.1f s after its start%n", back / 1e9);
            } finally {
                running.set(false);
                for (Thread t : load) {
                    t.join(30_000);
                }
                writer.join(30_000);
            }
            long tableRows = count();
            awaitCount(portA, tableRows, Duration.ofMinutes(2));
            out.printf("after both: index == table (%,d rows, %,d written during the run)%n", tableRows, written.get());
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void searchLoop(int port, float[][] queries, List<List<String>> expected, int offset, AtomicBoolean running,
                            ConcurrentLinkedQueue<Outcome> outcomes) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = offset; running.get(); i += clients) {
            int q = i % queries.length;
            String body = "{\"vector\": " + Arrays.toString(queries[q]) + ", \"k\": " + K + ", \"exact\": true}";
            long start = System.nanoTime();
            int status = -1;
            boolean right = false;
            boolean standby = false;
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/v1/collections/" + COLLECTION + "/search")).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                if (status == 200) {
                    JsonNode answer = JSON.readTree(response.body());
                    List<String> ids = new ArrayList<>();
                    answer.get("results").forEach(hit -> ids.add(hit.get("id").asText()));
                    right = ids.equals(expected.get(q));
                    standby = !answer.path("served_by_standby").isEmpty();
                }
            } catch (IOException e) {
                status = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long end = System.nanoTime();
            outcomes.add(new Outcome(end, (end - start) / 1_000, status, right, standby));
        }
    }

    /** Rows far from every query (components at 1000 and more): the expected answers stay right. */
    private void writeLoop(AtomicBoolean running, AtomicLong written) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (long id = 10_000_000; running.get(); id++) {
                float[] far = new float[dimensions];
                Arrays.fill(far, 1000f + id % 1000);
                st.execute("INSERT INTO " + TABLE + " (id, embedding, label) VALUES (" + id + ", '" + Arrays.toString(far)
                        + "', 'far')");
                written.incrementAndGet();
                Thread.sleep(20);
            }
        } catch (SQLException | InterruptedException e) {
            // the run is over
        }
    }

    /** The collection's integrity state, λ, witness edges and transitions (refusals in CRITICAL are failed searches too). */
    private static String integrity(int port) {
        try {
            JsonNode state = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/v1/collections/" + COLLECTION + "/integrity")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            List<String> edges = new ArrayList<>();
            state.path("witness_edges").forEach(e -> edges.add(e.path("source_type").asText() + " " + e.path("source_id").asText()
                    + " → " + e.path("target_type").asText() + " " + e.path("target_id").asText() + " (" + e.path("edge_type").asText()
                    + ", " + e.path("capacity").asText() + ")"));
            List<String> transitions = new ArrayList<>();
            state.path("transitions").forEach(t -> transitions.add(t.path("from").asText() + "→" + t.path("to").asText()
                    + " λ " + t.path("lambda").asText()));
            return "integrity now: " + state.path("state").asText() + " λ " + state.path("lambda").asText() + ", witness "
                    + edges + ", transitions " + transitions;
        } catch (Exception e) {
            return "integrity: unavailable (" + e.getMessage() + ")";
        }
    }

    private static void report(PrintStream out, String phase, ConcurrentLinkedQueue<Outcome> all, long from, long to) {
        List<Outcome> window = all.stream().filter(o -> o.endNanos() >= from && o.endNanos() < to)
                .sorted(java.util.Comparator.comparingLong(Outcome::endNanos)).toList();
        long failed = window.stream().filter(o -> o.status() != 200).count();
        long wrong = window.stream().filter(o -> o.status() == 200 && !o.right()).count();
        long standby = window.stream().filter(Outcome::standby).count();
        long longest = 0;
        Long failingSince = null;
        for (Outcome o : window) {
            if (o.status() != 200) {
                failingSince = failingSince == null ? o.endNanos() - o.micros() * 1_000 : failingSince;
            } else if (failingSince != null) {
                longest = Math.max(longest, o.endNanos() - failingSince);
                failingSince = null;
            }
        }
        if (failingSince != null) {
            longest = Math.max(longest, to - failingSince);
        }
        long[] micros = window.stream().mapToLong(Outcome::micros).sorted().toArray();
        Map<Integer, Long> statuses = new java.util.TreeMap<>(window.stream().collect(
                java.util.stream.Collectors.groupingBy(Outcome::status, java.util.stream.Collectors.counting())));
        out.printf("%s: %,d searches, %,d failed (%.2f %%), longest run of failures %.1f s, %d wrong answers, %,d served "
                        + "partly by a standby; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms  (goal: no failure run > 5 s, 0 wrong)%n",
                phase, window.size(), failed, window.isEmpty() ? 0.0 : 100.0 * failed / window.size(), longest / 1e9, wrong,
                standby, percentile(micros, 0.50) / 1e3, percentile(micros, 0.99) / 1e3,
                micros.length == 0 ? 0.0 : micros[micros.length - 1] / 1e3);
        out.printf("  answers by status (-1: no answer): %s%n", statuses);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private Process startChild(EmbeddedRuntime runtime, Path dir, int port) throws IOException {
        Files.createDirectories(dir);
        List<String> command = ChildJava.cli("2g");
        command.addAll(List.of("run", "--index-only", "--kafka", runtime.bootstrapServers(),
                "--data-dir", dir.toString(), "--http-port", Integer.toString(port), "--deployment", DEPLOYMENT,
                "--pg", "postgresql://" + pg.host() + ":" + pg.port() + "/" + pg.database(), "--pg-user", pg.user(),
                "--pg-password", pg.password()));
        if (!standbyReads) {
            command.add("--no-standby-reads");
        }
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("child-console.log").toFile())).start();
    }

    /** Waits until the active partitions are spread over exactly {@code hosts}; returns when (nanoTime). */
    private long awaitPlacement(EmbeddedRuntime runtime, Set<HostInfo> hosts, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IndexPlacement placement = null;
        while (System.nanoTime() < deadline) {
            placement = runtime.cluster().placement();
            if (placement.active().size() == partitions && new HashSet<>(placement.active().values()).equals(hosts)) {
                return System.nanoTime();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("partitions not active on " + hosts + " within " + timeout.toSeconds() + " s: " + placement);
    }

    private void awaitStandbys(EmbeddedRuntime runtime, HostInfo other, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Integer> theirs = runtime.cluster().placement().active().entrySet().stream()
                    .filter(e -> e.getValue().equals(other)).map(Map.Entry::getKey).toList();
            if (!theirs.isEmpty() && theirs.stream().allMatch(runtime.cluster()::localStandbyServable)
                    && theirs.stream().allMatch(p -> runtime.index().standbys().lag(p).orElse(1) == 0)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the standby copies here did not catch up within " + timeout.toSeconds() + " s");
    }

    private void awaitCount(int port, long expected, Duration timeout) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> stats = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v1/collections/" + COLLECTION + "/stats")).build(), HttpResponse.BodyHandlers.ofString());
            if (stats.statusCode() == 200 && (count = JSON.readTree(stats.body()).path("count").asLong()) == expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the index held " + count + " of " + expected + " rows after " + timeout.toSeconds() + " s");
    }

    private List<String> pgvectorTop(float[] query) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("SET enable_indexscan = off");
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT id::text FROM " + TABLE + " ORDER BY embedding <-> '"
                    + Arrays.toString(query) + "' LIMIT " + K)) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    private long count() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM " + TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }
}
