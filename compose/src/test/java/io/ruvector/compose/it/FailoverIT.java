package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.cli.RuvectorCli;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.index.cluster.IndexPlacement;
import io.ruvector.index.topology.FailoverSettings;
import io.ruvector.schemas.Metric;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Losing an instance without an outage: the first runtime (broker, capture, index) and a second
 * {@code ./ruvector run --index-only} in a child JVM share 4 partitions, each with a standby on
 * the other. Under a search load on the first, the child is killed with SIGKILL: searches keep
 * being answered (the first's standby copies serve the lost partitions until the group notices and
 * moves them), none is wrong, failures last at most a few seconds, and a {@code min_lsn} search is
 * answered at that LSN or not at all. The child then comes back on its data directory and takes
 * partitions back, again under load; rows written throughout are all in the index at the end.
 *
 * <p>Group sessions are the default 6 s: the move after the kill happens within the test's 8 s
 * of read-your-writes probes, and a search that waited for it instead of asking a standby
 * stands out from a stall of the machine.
 */
@RunsAlone
class FailoverIT {

    private static final int DIMS = 16;
    private static final int ROWS = 4_000;
    private static final Duration SESSION = FailoverSettings.DEFAULT_SESSION_TIMEOUT;
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A search this slow waited for partitions to move instead of being answered by a standby:
     * without standby reads one waits about the session (6 s) or gives up after 5 s; with them
     * searches take milliseconds, and this leaves room for a stall of the shared two cores.
     */
    private static final long STALL_MILLIS = 3_000;

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private final String deployment = "it_" + TestPostgres.unique();
    private final String table = "failover_" + TestPostgres.unique();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private EmbeddedRuntime first;
    private Process child;

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (first != null) {
            first.close();
        }
        TestPostgres.dropDeployment(deployment);
        TestPostgres.exec("DROP TABLE IF EXISTS " + table);
    }

    /** One search of the load: when it ended, how long it took, whether it was answered, right, and partly by a standby. */
    private record Outcome(long atNanos, long millis, int status, boolean right, boolean standby, String body) {
    }

    @Test
    void standbysAnswerWhileAnInstanceIsLostAndWhileItComesBack() throws Exception {
        first = new EmbeddedRuntime(RuntimeConfig.of(dirA, TestPostgres.SETTINGS).withBroker(BrokerConfig.ephemeral(dirA))
                .withDeployment(deployment).withVectorPartitions(4).withHttp(HttpSettings.loopback(0))
                .withFailover(FailoverSettings.DEFAULT.withSessionTimeout(SESSION))).start();
        int portA = first.serveHttp(0).port();
        int portB = freePort();
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(" + DIMS + "))",
                "INSERT INTO " + table + " SELECT g, (SELECT array_agg(random()::real) FROM generate_series(1, " + DIMS
                        + ") d WHERE g > 0)::vector FROM generate_series(1, " + ROWS + ") g");
        first.register(new CollectionRequest("fo", "public." + table, "id", "embedding", Metric.L2, null, List.of(),
                0, 0, 0), DIMS);
        child = startChild(portB);
        HostInfo hostA = new HostInfo("127.0.0.1", portA);
        HostInfo hostB = new HostInfo("127.0.0.1", portB);
        awaitShared(hostA, hostB, Duration.ofSeconds(120));
        awaitStandbysServable(hostB, Duration.ofSeconds(60));
        awaitStandbysEqualActives(hostB, Duration.ofSeconds(30));

        // Queries inside [0, 1)^16; the writer's rows lie at 10 and more, so the right answer of each
        // query is pgvector's top-10 now, whatever the writer adds meanwhile.
        SplittableRandom random = new SplittableRandom(5);
        List<float[]> queries = new ArrayList<>();
        List<List<String>> expected = new ArrayList<>();
        for (int q = 0; q < 40; q++) {
            float[] query = SearchCalls.randomVector(random, DIMS);
            queries.add(query);
            expected.add(SearchCalls.pgvectorTop(table, query, 10));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        Thread load = Thread.ofPlatform().name("failover-load").start(() -> {
            for (int i = 0; running.get(); i++) {
                int q = i % queries.size();
                long sent = System.nanoTime();
                try {
                    HttpResponse<String> response = search(portA, queries.get(q), 10, null);
                    boolean right = response.statusCode() == 200 && SearchCalls.ids(response).equals(expected.get(q));
                    outcomes.add(new Outcome(System.nanoTime(), (System.nanoTime() - sent) / 1_000_000, response.statusCode(), right,
                            response.statusCode() == 200 && !JSON.readTree(response.body()).get("served_by_standby").isEmpty(),
                            right ? "" : response.body() + (response.statusCode() == 200 ? " instead of " + expected.get(q) : "")));
                } catch (Exception e) {
                    outcomes.add(new Outcome(System.nanoTime(), (System.nanoTime() - sent) / 1_000_000, -1, false, false,
                            e.toString()));
                }
            }
        });
        AtomicLong written = new AtomicLong();
        Thread writer = Thread.ofPlatform().name("failover-writer").start(() -> {
            for (long id = 100_000; running.get(); id++) {
                try {
                    TestPostgres.exec("INSERT INTO " + table + " VALUES (" + id + ", '" + Floats.text(far(id)) + "')");
                    written.incrementAndGet();
                    Thread.sleep(20);
                } catch (Exception e) {
                    return;
                }
            }
        });
        try {
            Thread.sleep(2_000);
            long killedAt = System.nanoTime();
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no leave-group, no flush
            child = null;

            // read-your-writes through the failover: answered at the LSN, or a timeout, never older
            int probesAnswered = 0;
            long probeUntil = killedAt + Duration.ofSeconds(8).toNanos();
            for (int probe = 0; System.nanoTime() < probeUntil; probe++) {
                long id = 500_000 + probe;
                float[] at = near(probe);
                TestPostgres.exec("INSERT INTO " + table + " VALUES (" + id + ", '" + Floats.text(at) + "')");
                String lsn = (String) TestPostgres.query("SELECT pg_current_wal_lsn()::text").getFirst().getFirst();
                HttpResponse<String> response = search(portA, at, 1, lsn);
                assertThat(response.statusCode()).as("min_lsn search during the failover: %s", response.body()).isIn(200, 504);
                if (response.statusCode() == 200) {
                    assertThat(SearchCalls.ids(response)).as("answer at min_lsn %s", lsn).containsExactly(Long.toString(id));
                    probesAnswered++;
                }
                Thread.sleep(500);
            }
            assertThat(probesAnswered).as("min_lsn searches answered during the failover").isPositive();
            awaitPlacement(Set.of(hostA), Duration.ofSeconds(30));
            List<Outcome> lost = since(outcomes, killedAt);
            report("after the kill", lost);
            assertThat(lost.stream().filter(o -> o.status() == 200 && !o.right()).map(Outcome::body).toList())
                    .as("wrong answers after the kill").isEmpty();
            assertThat(lost.stream().filter(Outcome::standby).count()).as("answers served by a standby").isPositive();
            assertThat(longestFailureMillis(lost)).as("longest run of failed searches after the kill (ms)")
                    .isLessThanOrEqualTo(5_000);
            // without standby reads a search waits for the move (the 6 s session, then the rebalance)
            assertThat(slowestMillis(lost)).as("slowest search after the kill (ms)").isLessThan(STALL_MILLIS);

            // the killed instance returns on its data directory and takes partitions back, under load
            long returnedAt = System.nanoTime();
            child = startChild(portB);
            awaitShared(hostA, hostB, Duration.ofSeconds(120));
            awaitReady(portB, Duration.ofSeconds(120));
            Thread.sleep(3_000);
            List<Outcome> back = since(outcomes, returnedAt);
            report("while it came back", back);
            assertThat(back.stream().filter(o -> o.status() == 200 && !o.right()).map(Outcome::body).toList())
                    .as("wrong answers while the instance came back").isEmpty();
            assertThat(longestFailureMillis(back)).as("longest run of failed searches while it came back (ms)")
                    .isLessThanOrEqualTo(5_000);
            // partitions move back while the child restores them: a search may wait out one rebalance, never fail
            assertThat(slowestMillis(back)).as("slowest search while it came back (ms)")
                    .isLessThan(io.ruvector.index.cluster.ClusterQueries.SETTLE_TIMEOUT.toMillis());
        } finally {
            running.set(false);
            load.join(30_000);
            writer.join(30_000);
        }

        // every row written during the failover and the return is in the index
        String lsn = (String) TestPostgres.query("SELECT pg_current_wal_lsn()::text").getFirst().getFirst();
        long tableRows = ((Number) TestPostgres.query("SELECT count(*) FROM " + table).getFirst().getFirst()).longValue();
        assertThat(written.get()).isPositive();
        for (int port : List.of(portA, portB)) {
            assertThat(search(portA, far(100_000), 1, lsn).statusCode()).isEqualTo(200);
            JsonNode stats = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v1/collections/fo/stats")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(stats.get("count").asLong()).as("index rows on instance %d == table rows", port).isEqualTo(tableRows);
        }
        List<List<Object>> writerRows = TestPostgres.query("SELECT id::text FROM " + table + " WHERE id >= 100000 AND id < 500000"
                + " ORDER BY random() LIMIT 20");
        for (List<Object> row : writerRows) {
            long id = Long.parseLong((String) row.getFirst());
            HttpResponse<String> response = search(portB, far(id), 1, lsn);
            assertThat(SearchCalls.ids(response)).as("row %d written during the failover", id).containsExactly(Long.toString(id));
        }
    }

    /** The writer's row {@code id}: far from every query of the load, unique per id. */
    private static float[] far(long id) {
        float[] v = new float[DIMS];
        java.util.Arrays.fill(v, 10f);
        v[0] += id % 1000 * 0.01f;
        v[1] += id / 1000 % 1000 * 0.01f;
        return v;
    }

    /** The {@code probe}-th read-your-writes row: far from the load's queries and the writer's rows. */
    private static float[] near(int probe) {
        float[] v = new float[DIMS];
        java.util.Arrays.fill(v, -5f);
        v[0] -= probe * 0.1f;
        return v;
    }

    private HttpResponse<String> search(int port, float[] query, int k, String minLsn) throws Exception {
        String body = "{\"vector\": " + Floats.text(query) + ", \"k\": " + k + ", \"exact\": true"
                + (minLsn == null ? "" : ", \"min_lsn\": \"" + minLsn + "\", \"timeout_ms\": 10000") + "}";
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/collections/fo/search"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code ./ruvector run --index-only} in a child JVM on {@code port}, joining the first's broker. */
    private Process startChild(int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dirB.resolve("child-" + System.nanoTime() + ".log");
        return new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), RuvectorCli.class.getName(), "run",
                "--kafka", first.bootstrapServers(), "--index-only", "--http-port", Integer.toString(port),
                "--data-dir", dirB.toString(), "--deployment", deployment, "--pg", TestPostgres.URL,
                "--session-timeout-ms", Long.toString(SESSION.toMillis()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until both instances hold active partitions. */
    private void awaitShared(HostInfo a, HostInfo b, Duration timeout) throws InterruptedException {
        awaitPlacement(Set.of(a, b), timeout);
    }

    private void awaitPlacement(Set<HostInfo> hosts, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IndexPlacement placement = null;
        while (System.nanoTime() < deadline) {
            placement = first.cluster().placement();
            if (placement.active().size() == 4 && new HashSet<>(placement.active().values()).equals(hosts)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the 4 partitions were not active on " + hosts + " within " + timeout + ": " + placement);
    }

    /** Waits until the first instance's standby copies of {@code other}'s partitions may answer. */
    private void awaitStandbysServable(HostInfo other, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            IndexPlacement placement = first.cluster().placement();
            List<Integer> theirs = placement.active().entrySet().stream().filter(e -> e.getValue().equals(other))
                    .map(Map.Entry::getKey).toList();
            if (!theirs.isEmpty() && theirs.stream().allMatch(first.cluster()::localStandbyServable)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no caught-up standby of " + other + "'s partitions here within " + timeout + ": "
                + first.index().standbys().snapshot());
    }

    /** Waits until the first instance's standby copies of {@code other}'s partitions hold as many rows as their actives. */
    private void awaitStandbysEqualActives(HostInfo other, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Set<Integer> theirs = new java.util.TreeSet<>(first.cluster().placement().active().entrySet().stream()
                    .filter(e -> e.getValue().equals(other)).map(Map.Entry::getKey).toList());
            Map<Integer, Long> standby = new java.util.TreeMap<>();
            first.cluster().localStandby(new io.ruvector.index.query.StatsQuery("fo"), theirs)
                    .forEach((p, s) -> standby.put(p, (long) s.liveRows()));
            JsonNode stats = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port()
                    + "/v1/collections/fo/stats")).build(), HttpResponse.BodyHandlers.ofString()).body());
            Map<Integer, Long> active = new java.util.TreeMap<>();
            theirs.forEach(p -> active.put(p, stats.get("partitions").get(Integer.toString(p)).get("count").asLong()));
            if (standby.equals(active)) {
                return;
            }
            last = "standby " + standby + ", active " + active;
            Thread.sleep(200);
        }
        throw new AssertionError("standby copies here never held what their actives hold within " + timeout + ": " + last);
    }

    private void awaitReady(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("instance on port " + port + " not ready within " + timeout);
    }

    private static List<Outcome> since(List<Outcome> outcomes, long nanos) {
        return outcomes.stream().filter(o -> o.atNanos() >= nanos).toList();
    }

    /** The longest time from a failed search to the next answered one (or to the last search). */
    private static long longestFailureMillis(List<Outcome> outcomes) {
        long longest = 0;
        Long failingSince = null;
        for (Outcome o : outcomes) {
            if (o.status() != 200) {
                failingSince = failingSince == null ? o.atNanos() : failingSince;
            } else if (failingSince != null) {
                longest = Math.max(longest, o.atNanos() - failingSince);
                failingSince = null;
            }
        }
        if (failingSince != null && !outcomes.isEmpty()) {
            longest = Math.max(longest, outcomes.getLast().atNanos() - failingSince);
        }
        return longest / 1_000_000;
    }

    private static long slowestMillis(List<Outcome> outcomes) {
        return outcomes.stream().mapToLong(Outcome::millis).max().orElse(0);
    }

    private static void report(String phase, List<Outcome> outcomes) {
        long failed = outcomes.stream().filter(o -> o.status() != 200).count();
        long standby = outcomes.stream().filter(Outcome::standby).count();
        System.out.printf("FailoverIT %s: %d searches, %d failed (longest run %d ms), %d served partly by a standby, "
                        + "slowest %d ms%n", phase, outcomes.size(), failed, longestFailureMillis(outcomes), standby,
                slowestMillis(outcomes));
        outcomes.stream().filter(o -> o.status() != 200).limit(3).forEach(o -> System.out.println("  failed: " + o.body()));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
