package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.compose.pgvector.PgKnn;
import io.ruvector.compose.pgvector.Recall;
import io.ruvector.compose.shadow.ShadowSettings;
import io.ruvector.schemas.Metric;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/**
 * Adopting the index next to pgvector (issue 15), on the real PostgreSQL + pgvector and the
 * in-process broker: {@code migrate verify} with pgvector's HNSW index as the third answer, and
 * shadow reads (exact overlap recorded, nothing asked of PostgreSQL at 0 %, latency with shadow on).
 */
class MigrationIT {

    private static final int ROWS = 3_000;
    private static final int DIMS = 16;
    /** Above 2 partitions × HnswSettings' 2,000 exact-below rows, so that graphs answer and can miss. */
    private static final int SHADOW_ROWS = 6_000;
    private static final int SHADOW_DIMS = 32;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    @TempDir
    static Path dataDir;
    private static RuntimeFixture fixture;
    private static String api;

    @BeforeAll
    static void start() throws Exception {
        fixture = new RuntimeFixture(dataDir).start(2); // the default partitions: graphs from 4,000 rows
        api = "http://127.0.0.1:" + fixture.runtime.serveHttp(0).port();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void shouldReportRecallAndLatencyOfTheIndexPgvectorExactAndPgvectorsHnswIndex() throws Exception {
        String table = "mv_" + TestPostgres.unique();
        String name = "mv" + TestPostgres.unique();
        createTable(table, true, ROWS, DIMS);
        fixture.register(name, table, "embedding", Metric.L2, List.of("tag"), null, 0);
        awaitRows(name, ROWS);

        CliRun verify = CliRun.run("migrate", "verify", "--collection", name, "--queries", "40", "--seed", "7",
                "--pg", CliIT.pgUrl, "--http", api);
        System.out.println("MigrationIT verify:\n" + verify.out() + verify.err());
        assertThat(verify.code()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("ruvector ", "pgvector exact", "pgvector hnsw index", "hnsw.ef_search server's",
                "rows: table " + ROWS + ", index " + ROWS, "[PASS] recall", "[PASS] freshness", "verdict: PASS");

        CliRun json = CliRun.run("migrate", "verify", "--collection", name, "--queries", "30", "--seed", "8",
                "--pg-ef-search", "100", "--filter", "{\"tag\": \"a\"}", "--min-recall", "0.8", "--json",
                "--pg", CliIT.pgUrl, "--http", api);
        assertThat(json.code()).as(json.out() + json.err()).isZero();
        JsonNode report = JSON.readTree(json.out());
        assertThat(report.path("answers")).hasSize(3);
        assertThat(report.path("answers").get(1).path("recall").asDouble()).isEqualTo(1.0);
        assertThat(report.path("answers").get(0).path("recall").asDouble()).isGreaterThanOrEqualTo(0.8);
        assertThat(report.path("answers").get(2).path("settings").asText()).contains("hnsw.ef_search 100");
        for (JsonNode answer : report.path("answers")) {
            assertThat(answer.path("latency").path("count").asInt()).isEqualTo(30);
            assertThat(answer.path("latency").path("p99_ms").asDouble()).isPositive();
        }
        assertThat(report.path("filter").asText()).contains("\"tag\"");
        assertThat(report.path("catch_up_ms").asLong()).isNotNegative();

        // an impossible latency threshold fails the verdict, exit 1, and the report names the check
        CliRun slow = CliRun.run("migrate", "verify", "--collection", name, "--queries", "10", "--max-p99-ms", "0.001",
                "--pg", CliIT.pgUrl, "--http", api);
        assertThat(slow.code()).isEqualTo(1);
        assertThat(slow.out()).contains("[FAIL] latency: the index's p99").contains("verdict: FAIL");

        // per tenant: queries, answers and the table's rows of one tenant
        String tenantTable = "mt_" + TestPostgres.unique();
        String tenantName = "mt" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + tenantTable + " (id int PRIMARY KEY, embedding vector(8), org text)",
                "INSERT INTO " + tenantTable + " SELECT g, (SELECT array_agg(random()::real) FROM generate_series(1, 8) "
                        + "WHERE g > 0)::vector, 'org' || (g % 2) FROM generate_series(1, 1000) g");
        fixture.register(tenantName, tenantTable, "embedding", Metric.L2, List.of(), "org", 0);
        awaitRows(tenantName, 1000);
        CliRun tenant = CliRun.run("migrate", "verify", "--collection", tenantName, "--tenant", "org1", "--queries", "10",
                "--pg", CliIT.pgUrl, "--http", api);
        assertThat(tenant.code()).as(tenant.out() + tenant.err()).isZero();
        assertThat(tenant.out()).contains("scope: tenant org1", "rows: table 500 of tenant org1; index 1000 of all tenants",
                "pgvector index: none on embedding for metric l2", "verdict: PASS");
        CliRun noTenant = CliRun.run("migrate", "verify", "--collection", tenantName, "--pg", CliIT.pgUrl, "--http", api);
        assertThat(noTenant.code()).isEqualTo(2);
        assertThat(noTenant.err()).contains("is multi-tenant (column org): give --tenant");

        CliRun missing = CliRun.run("migrate", "verify", "--collection", "nosuch", "--pg", CliIT.pgUrl, "--http", api);
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("ruvector migrate verify: collection nosuch: the runtime answered HTTP 404");
    }

    @Test
    void shouldRecordTheOverlapOfShadowReadsAndAskPostgresNothingAtZeroPercent() throws Exception {
        String table = "ms_" + TestPostgres.unique();
        String name = "ms" + TestPostgres.unique();
        createTable(table, false, SHADOW_ROWS, SHADOW_DIMS);
        fixture.register(name, table, "embedding", Metric.L2, List.of("tag"), null, 0);
        awaitRows(name, SHADOW_ROWS);
        SplittableRandom random = new SplittableRandom(11);

        assertThat(status("PUT", "/v1/collections/" + name + "/shadow", "{\"percent\": 150}")).startsWith("400")
                .contains("invalid_shadow", "percent must be in 0..100");
        assertThat(status("PUT", "/v1/collections/" + name + "/shadow", "{\"percent\": 5, \"compare\": \"fuzzy\"}"))
                .startsWith("400").contains("compare must be exact");
        assertThat(status("PUT", "/v1/collections/" + name + "/shadow", "{}")).startsWith("400").contains("percent is required");

        // 0 %: the policy set, searches answered, and not one query reaches the table
        assertThat(send("PUT", "/v1/collections/" + name + "/shadow", "{\"percent\": 0}").path("policy").path("percent")
                .asDouble()).isZero();
        long scansBefore = scans(table);
        for (int i = 0; i < 30; i++) {
            search(name, query(random), 10);
        }
        Thread.sleep(1_500);
        assertThat(scans(table)).as("table scans with shadow at 0 %").isEqualTo(scansBefore);
        assertThat(send("GET", "/v1/collections/" + name + "/shadow", null).path("instance").path("shadowed").asLong()).isZero();

        // 100 %: every search also asked of PostgreSQL; the recorded overlap equals the recall measured
        // here, by the same tie-fair rule (a hit as near as the exact 10th counts: CI once met a
        // 10th hit tied within float rounding, which a plain id overlap counted as a miss)
        send("PUT", "/v1/collections/" + name + "/shadow", "{\"percent\": 100, \"compare\": \"exact\"}");
        int searches = 40;
        double recallSum = 0;
        try (Connection pg = TestPostgres.connect(); Statement st = pg.createStatement()) {
            st.execute("SET enable_indexscan = off");
            for (int i = 0; i < searches; i++) {
                float[] q = query(random);
                List<PgKnn.Neighbour> ours = searchHits(name, q, 10);
                List<PgKnn.Neighbour> exact = new ArrayList<>();
                String literal = "'" + Arrays.toString(q) + "'";
                try (ResultSet rs = st.executeQuery("SELECT id::text, embedding <-> " + literal + " FROM " + table
                        + " ORDER BY embedding <-> " + literal + " LIMIT 10")) {
                    while (rs.next()) {
                        exact.add(new PgKnn.Neighbour(rs.getString(1), rs.getDouble(2)));
                    }
                }
                recallSum += Recall.atK(exact, ours, 10);
            }
        }
        JsonNode shadow = awaitShadowed(name, searches);
        double recall = recallSum / searches;
        System.out.printf(Locale.ROOT, "MigrationIT shadow: mean overlap@10 recorded %.4f, measured %.4f over %d searches%n",
                shadow.path("instance").path("mean_overlap").asDouble(), recall, searches);
        assertThat(shadow.path("instance").path("mean_overlap").asDouble()).isCloseTo(recall, within(1e-9));
        assertThat(recall).as("ef_search 10 leaves some neighbours out: the comparison is not trivially 1").isLessThan(1.0);
        assertThat(shadow.path("instance").path("mismatched").asLong()).isPositive();
        assertThat(shadow.path("instance").path("mismatches").get(0).path("missing")).isNotEmpty();
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("ruvector_shadow_queries_total{collection=\"" + name + "\"} " + searches + ".0")
                .contains("ruvector_shadow_overlap_count{collection=\"" + name + "\"} " + searches);

        // The answer's latency with shadow on against off: blocks of 25 searches in the order off, on, on, off, ...;
        // each on block is paired with its neighbouring off block and the median of the pairs' ratios taken, so that
        // neither a drift nor a burst of background work (a graph refit, a GC) in one block decides.
        send("PUT", "/v1/collections/" + name + "/shadow", "{\"percent\": 0}");
        for (int i = 0; i < 100; i++) { // warm-up, unmeasured
            search(name, query(random), 10);
        }
        long shadowedBefore = send("GET", "/v1/collections/" + name + "/shadow", null).path("instance").path("shadowed").asLong();
        List<Long> off = new ArrayList<>();
        List<Long> on = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        double[] blockMedians = new double[16];
        for (int block = 0; block < 16; block++) {
            boolean shadowOn = block % 4 == 1 || block % 4 == 2;
            send("PUT", "/v1/collections/" + name + "/shadow", "{\"percent\": " + (shadowOn ? 100 : 0) + "}");
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                long start = System.nanoTime();
                search(name, query(random), 10);
                times.add(System.nanoTime() - start);
            }
            (shadowOn ? on : off).addAll(times);
            blockMedians[block] = median(times);
            if (block % 4 == 1) {
                ratios.add(blockMedians[block] / blockMedians[block - 1]);
            } else if (block % 4 == 3) {
                ratios.add(blockMedians[block - 1] / blockMedians[block]);
            }
        }
        double ratio = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray()[ratios.size() / 2];
        JsonNode after = send("GET", "/v1/collections/" + name + "/shadow", null).path("instance");
        System.out.printf(Locale.ROOT, "MigrationIT shadow latency: median %.3f ms off, %.3f ms on; paired ratio %.3f (pairs %s); "
                        + "%d of the %d searches at 100 %% shadowed, %d dropped (PostgreSQL share 10 %%)%n", median(off),
                median(on), ratio, ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList(),
                after.path("shadowed").asLong() - shadowedBefore, on.size(), after.path("dropped").asLong());
        // Reported, not asserted: 25-search blocks on two shared cores vary by ±40 % on their own; the claim is
        // measured by ./ruvector bench shadow (docs/benchmarks.md). What is asserted is that no answer waits:

        // the answer never waits for PostgreSQL: with the table locked, shadow queries hang and searches do not
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (send("GET", "/v1/collections/" + name + "/shadow", null).path("queued").asInt() > 0) { // off: skipped
            assertThat(System.nanoTime()).as("the shadow queue empties once shadow reads are off").isLessThan(deadline);
            Thread.sleep(20);
        }
        after = send("GET", "/v1/collections/" + name + "/shadow", null).path("instance");
        long droppedBefore = after.path("dropped").asLong();
        long shadowedLocked = after.path("shadowed").asLong();
        long errorsBefore = after.path("errors").asLong();
        int queue = ShadowSettings.DEFAULT.queue();
        try (Connection locker = TestPostgres.connect(); Statement lock = locker.createStatement()) {
            locker.setAutoCommit(false);
            lock.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            send("PUT", "/v1/collections/" + name + "/shadow", "{\"percent\": 100}");
            // the policy reaches the collection catalog through its topic: until then a search is not shadowed, or
            // its queued query is skipped and frees the pool thread, and one more than counted below is taken
            long policyDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (send("GET", "/v1/collections/" + name + "/shadow", null).path("policy").path("percent").asDouble() != 100) {
                assertThat(System.nanoTime()).as("the shadow policy in effect").isLessThan(policyDeadline);
                Thread.sleep(20);
            }
            long slowest = 0;
            for (int i = 0; i < 100; i++) {
                long start = System.nanoTime();
                assertThat(search(name, query(random), 10)).hasSize(10);
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
            JsonNode locked = send("GET", "/v1/collections/" + name + "/shadow", null).path("instance");
            long errors = locked.path("errors").asLong() - errorsBefore;
            System.out.printf(Locale.ROOT, "MigrationIT shadow with the table locked: slowest of 100 searches %.1f ms, "
                    + "%d shadow queries dropped, %d failed (last error: %s)%n", slowest / 1e6,
                    locked.path("dropped").asLong() - droppedBefore, errors, locked.path("last_error").asText());
            assertThat(slowest).as("slowest search while PostgreSQL cannot answer the shadow queries")
                    .isLessThan(Duration.ofSeconds(1).toNanos());
            assertThat(locked.path("shadowed").asLong()).isEqualTo(shadowedLocked);
            // one query hangs on the lock, 64 wait in the queue, the rest are dropped. A query that fails at once
            // instead of waiting frees the thread for one more (CI twice counted 34 dropped; the printout says why)
            assertThat(errors).as("shadow queries that failed instead of waiting: %s", locked.path("last_error").asText())
                    .isLessThanOrEqualTo(1);
            assertThat(locked.path("dropped").asLong() - droppedBefore).isEqualTo(100 - 1 - queue - errors);
            locker.rollback();
        }
        awaitShadowed(name, shadowedLocked + 1 + queue);
        send("DELETE", "/v1/collections/" + name + "/shadow", null);
    }

    private static void createTable(String table, boolean hnsw, int rows, int dims) throws Exception {
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(" + dims + "), tag text)",
                "INSERT INTO " + table + " SELECT g, (SELECT array_agg(random()::real) FROM generate_series(1, " + dims
                        + ") WHERE g > 0)::vector, (ARRAY['a', 'b', 'c'])[1 + g % 3] FROM generate_series(1, " + rows + ") g");
        if (hnsw) {
            TestPostgres.exec("CREATE INDEX ON " + table + " USING hnsw (embedding vector_l2_ops)");
        }
        TestPostgres.exec("ANALYZE " + table);
    }

    private static float[] query(SplittableRandom random) {
        float[] q = new float[SHADOW_DIMS];
        for (int i = 0; i < SHADOW_DIMS; i++) {
            q[i] = (float) random.nextDouble();
        }
        return q;
    }

    /** The hits with their distances, as the shadow comparison sees them. */
    private static List<PgKnn.Neighbour> searchHits(String name, float[] q, int k) throws Exception {
        JsonNode answer = send("POST", "/v1/collections/" + name + "/search", "{\"vector\": " + Arrays.toString(q)
                + ", \"k\": " + k + ", \"ef_search\": 10}");
        List<PgKnn.Neighbour> hits = new ArrayList<>();
        answer.path("results").forEach(hit -> hits.add(new PgKnn.Neighbour(hit.path("id").asText(),
                hit.path("distance").asDouble())));
        return hits;
    }

    private static List<String> search(String name, float[] q, int k) throws Exception {
        JsonNode answer = send("POST", "/v1/collections/" + name + "/search", "{\"vector\": " + Arrays.toString(q)
                + ", \"k\": " + k + ", \"ef_search\": 10}");
        List<String> ids = new ArrayList<>();
        answer.path("results").forEach(hit -> ids.add(hit.path("id").asText()));
        return ids;
    }

    private static JsonNode send(String method, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String status(String method, String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    /** Sequential plus index scans of the table so far (PostgreSQL's cumulative statistics). */
    private static long scans(String table) throws Exception {
        return ((Number) TestPostgres.query("SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables "
                + "WHERE relname = '" + table + "'").get(0).get(0)).longValue();
    }

    private static void awaitRows(String name, int rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (send("GET", "/v1/collections/" + name + "/stats", null).path("count").asLong() < rows) {
            assertThat(System.nanoTime()).as("the index holds %d rows of %s", rows, name).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static JsonNode awaitShadowed(String name, long count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode view = send("GET", "/v1/collections/" + name + "/shadow", null);
            if (view.path("instance").path("shadowed").asLong() + view.path("instance").path("errors").asLong() >= count) {
                assertThat(view.path("instance").path("errors").asLong()).as(view.toString()).isZero();
                return view;
            }
            assertThat(System.nanoTime()).as("shadowed searches: %s", view).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static double median(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2] / 1e6;
    }
}
