package io.ruvector.compose.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.compose.http.HttpApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP API over the real runtime: register, read-your-writes search, deletes, every bad
 * request's 4xx (the server keeps serving), tenant isolation and the min_lsn timeout.
 */
class HttpApiIT extends SharedRuntime {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DIMS = 8;
    private static HttpApiServer server;
    private static HttpClient client;

    @BeforeAll
    static void startApi() {
        server = HttpApiServer.start(fixture.runtime, 0);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stopApi() {
        server.close();
        client.close();
    }

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    }

    private static Reply call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? null : JSON.readTree(response.body());
        return new Reply(response.statusCode(), json, response);
    }

    private static String currentLsn() throws Exception {
        return (String) TestPostgres.query("SELECT pg_current_wal_lsn()::text").getFirst().getFirst();
    }

    private static String createTable(String columns) throws Exception {
        String table = "http_" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (" + columns + ")");
        return table;
    }

    private static Reply register(String name, String table, String extra) throws Exception {
        return call("POST", "/v1/collections", "{\"name\": \"" + name + "\", \"table\": \"" + table
                + "\", \"id_column\": \"id\", \"vector_column\": \"embedding\"" + extra + "}");
    }

    private static String search(float[] vector, int k, String extra) throws Exception {
        return "{\"vector\": " + Floats.text(vector) + ", \"k\": " + k + extra + "}";
    }

    private static List<String> ids(Reply reply) {
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        reply.body().get("results").forEach(hit -> ids.add(hit.get("id").asText()));
        return ids;
    }

    @Test
    void shouldFindOwnRowFirstAndNeverADeletedOneWhenSearchingWithMinLsn() throws Exception {
        long seed = System.nanoTime();
        System.out.println("HttpApiIT read-your-writes seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        String table = createTable("id int PRIMARY KEY, embedding vector(" + DIMS + "), lang text");
        String name = "h" + TestPostgres.unique();
        Reply created = register(name, table, ", \"metric\": \"l2\", \"metadata_columns\": [\"lang\"]");
        assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
        assertThat(created.body().get("table").asText()).isEqualTo("public." + table);
        assertThat(created.body().get("dimensions").asInt()).isEqualTo(DIMS);
        assertThat(created.body().get("metric").asText()).isEqualTo("l2");
        assertThat(call("GET", "/v1/collections/" + name, null).body().get("name").asText()).isEqualTo(name);
        List<String> listed = new ArrayList<>();
        call("GET", "/v1/collections", null).body().get("collections").forEach(c -> listed.add(c.get("name").asText()));
        assertThat(listed).contains(name);

        Map<Integer, float[]> rows = new HashMap<>();
        try (Connection c = TestPostgres.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?::vector, ?)")) {
            for (int i = 1; i <= 200; i++) {
                float[] v = Floats.random(random, DIMS);
                rows.put(i, v);
                insert.setInt(1, i);
                insert.setString(2, Floats.text(v));
                insert.setString(3, i % 2 == 0 ? "en" : "fr");
                insert.addBatch();
            }
            insert.executeBatch();
        }
        String lsn = currentLsn();
        int target = 1 + random.nextInt(200);
        Reply first = call("POST", "/v1/collections/" + name + "/search",
                search(rows.get(target), 5, ", \"min_lsn\": \"" + lsn + "\", \"timeout_ms\": 60000"));
        assertThat(ids(first)).hasSize(5).first().isEqualTo(Integer.toString(target));
        assertThat(first.body().get("exact").asBoolean()).isTrue();
        assertThat(first.body().get("took_ms").isIntegralNumber()).isTrue();
        assertThat(first.body().get("results").get(0).get("distance").asDouble()).isZero();
        assertThat(first.body().get("results").get(0).get("metadata").get("lang").asText())
                .isEqualTo(target % 2 == 0 ? "en" : "fr");
        Reply english = call("POST", "/v1/collections/" + name + "/search",
                search(rows.get(target), 20, ", \"exact\": false, \"ef_search\": 10, \"filter\": {\"lang\": \"en\"}"));
        assertThat(ids(english)).hasSize(20).allSatisfy(id -> assertThat(Integer.parseInt(id) % 2).isZero());

        TestPostgres.exec("DELETE FROM " + table + " WHERE id = " + target);
        String afterDelete = currentLsn();
        Reply second = call("POST", "/v1/collections/" + name + "/search",
                search(rows.get(target), 200, ", \"min_lsn\": \"" + afterDelete + "\", \"timeout_ms\": 60000"));
        assertThat(ids(second)).hasSize(199).doesNotContain(Integer.toString(target));

        Reply stats = call("GET", "/v1/collections/" + name + "/stats", null);
        assertThat(stats.status()).isEqualTo(200);
        assertThat(stats.body().get("count").asLong()).isEqualTo(199);
        assertThat(stats.body().get("partitions").size()).isEqualTo(fixture.runtime.vectorPartitions());
        long perPartition = 0;
        for (JsonNode partition : stats.body().get("partitions")) {
            perPartition += partition.get("count").asLong();
        }
        assertThat(perPartition).isEqualTo(199);
        assertThat(stats.body().get("memory_bytes").asLong()).isPositive();
        assertThat(stats.body().get("watermark_lsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
        int kept = target == 1 ? 2 : 1;
        Reply point = call("GET", "/v1/collections/" + name + "/vectors/" + kept, null);
        assertThat(point.status()).as("%s", point.body()).isEqualTo(200);
        assertThat(point.body().get("id").asText()).isEqualTo(Integer.toString(kept));
        float[] stored = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            stored[d] = (float) point.body().get("vector").get(d).asDouble();
        }
        assertThat(stored).containsExactly(rows.get(kept));
        assertThat(point.body().get("metadata").get("lang").asText()).isEqualTo(kept % 2 == 0 ? "en" : "fr");
        Reply gone = call("GET", "/v1/collections/" + name + "/vectors/" + target, null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body().get("error").asText()).isEqualTo("vector_not_found");
    }

    @Test
    void shouldAnswerEveryBadRequestWithErrorAndDetailAndKeepServing() throws Exception {
        String table = createTable("id int PRIMARY KEY, embedding vector(3), lang text");
        String other = createTable("id int PRIMARY KEY, embedding vector(3)");
        String name = "b" + TestPostgres.unique();
        assertThat(register(name, table, ", \"metadata_columns\": [\"lang\"]").status()).isEqualTo(201);
        String search = "/v1/collections/" + name + "/search";
        String create = "/v1/collections";
        record Bad(String method, String path, String body, int status, String error) {
        }
        List<Bad> bad = List.of(
                new Bad("POST", create, "", 400, "invalid_json"),
                new Bad("POST", create, "{\"name\": ", 400, "invalid_json"),
                new Bad("POST", create, "[1]", 400, "invalid_json"),
                new Bad("POST", create, "{\"name\": \"x\", \"tabel\": \"t\"}", 400, "unknown_field"),
                new Bad("POST", create, "{\"name\": \"Bad-Name\", \"table\": \"t\", \"id_column\": \"id\", \"vector_column\": \"v\"}", 400, "invalid_collection"),
                new Bad("POST", create, "{\"name\": \"x\", \"table\": \"" + table + "\", \"id_column\": \"id\", \"vector_column\": \"embedding\", \"metric\": \"hamming\"}", 400, "invalid_metric"),
                new Bad("POST", create, "{\"name\": \"x\", \"table\": \"" + table + "\", \"id_column\": \"id\", \"vector_column\": \"embedding\", \"index\": {\"m\": 1}}", 400, "invalid_collection"),
                new Bad("POST", create, "{\"name\": \"x\", \"table\": \"" + table + "\", \"id_column\": \"id\", \"vector_column\": \"embedding\", \"index\": {\"ef\": 1}}", 400, "unknown_field"),
                new Bad("POST", create, "{\"name\": \"x\", \"table\": \"no_such_table_" + TestPostgres.unique() + "\", \"id_column\": \"id\", \"vector_column\": \"embedding\"}", 400, "invalid_collection"),
                new Bad("POST", create, "{\"name\": \"" + name + "\", \"table\": \"" + other + "\", \"id_column\": \"id\", \"vector_column\": \"embedding\"}", 409, "collection_exists"),
                new Bad("GET", "/v1/collections/nope_" + TestPostgres.unique(), null, 404, "collection_not_found"),
                new Bad("POST", "/v1/collections/nope_" + TestPostgres.unique() + "/search", "{\"vector\": [1, 2, 3]}", 404, "collection_not_found"),
                new Bad("GET", "/v1/collections/nope_" + TestPostgres.unique() + "/stats", null, 404, "collection_not_found"),
                new Bad("GET", "/v2/things", null, 404, "not_found"),
                new Bad("GET", "/v1/collections/" + name + "/frobnicate", null, 404, "not_found"),
                new Bad("DELETE", "/v1/collections", null, 405, "method_not_allowed"),
                new Bad("GET", search, null, 405, "method_not_allowed"),
                new Bad("POST", search, "{}", 400, "missing_field"),
                new Bad("POST", search, "{\"vector\": [1, 2]}", 400, "dimension_mismatch"),
                new Bad("POST", search, "{\"vector\": [1, \"NaN\", 3]}", 400, "invalid_vector"),
                new Bad("POST", search, "{\"vector\": [1, \"Infinity\", 3]}", 400, "invalid_vector"),
                new Bad("POST", search, "{\"vector\": [1, NaN, 3]}", 400, "invalid_json"),
                new Bad("POST", search, "{\"vector\": [1, 2, 1e400]}", 400, "invalid_vector"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"metric\": \"hamming\"}", 400, "invalid_metric"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"k\": 0}", 400, "invalid_k"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"k\": -3}", 400, "invalid_k"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"k\": 10001}", 400, "invalid_k"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"k\": \"ten\"}", 400, "invalid_field"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"filter\": {\"lang\": {\"in\": []}}}", 400, "invalid_filter"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"filter\": {\"lang\": {\"like\": \"e%\"}}}", 400, "invalid_filter"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"filter\": {\"lang\": {\"gt\": \"a\"}}}", 400, "invalid_filter"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"filter\": {\"lang\": {\"gt\": 5, \"lt\": 1}}}", 400, "invalid_filter"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"ef_search\": 0}", 400, "invalid_ef_search"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"filter\": {\"colour\": \"red\"}}", 400, "invalid_filter"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"filter\": {\"lang\": null}}", 400, "invalid_filter"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"tenant\": \"a\"}", 400, "invalid_tenant"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"min_lsn\": \"last tuesday\"}", 400, "invalid_lsn"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"timeout_ms\": 600000}", 400, "invalid_timeout"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3], \"top_k\": 3}", 400, "unknown_field"),
                new Bad("POST", search, "{\"vector\": [1, 2, 3]} trailing", 400, "invalid_json"),
                new Bad("POST", search, "{\"vector\": [" + "1,".repeat(9 * 1024 * 1024) + "1]}", 413, "body_too_large"));
        for (Bad b : bad) {
            Reply reply = call(b.method(), b.path(), b.body());
            String what = b.method() + " " + b.path() + " " + (b.body() == null ? "" : b.body().substring(0, Math.min(120, b.body().length())));
            assertThat(reply.status()).as("%s -> %s", what, reply.body()).isEqualTo(b.status());
            assertThat(reply.body().get("error").asText()).as(what).isEqualTo(b.error());
            assertThat(reply.body().get("detail").asText()).as(what).isNotBlank();
            assertThat(reply.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        }
        assertThat(call("GET", "/v1/collections", null).raw().statusCode()).isEqualTo(200);
        Reply good = call("POST", search, "{\"vector\": [1, 2, 3], \"k\": 3}");
        assertThat(good.status()).as("%s", good.body()).isEqualTo(200);
    }

    @Test
    void shouldNeverReturnAnotherTenantsRowsWhenSearchingForOneTenant() throws Exception {
        long seed = System.nanoTime();
        System.out.println("HttpApiIT tenant seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        String table = createTable("id int PRIMARY KEY, embedding vector(" + DIMS + "), org text");
        String name = "t" + TestPostgres.unique();
        assertThat(register(name, table, ", \"metric\": \"cosine\", \"tenant_column\": \"org\"").status()).isEqualTo(201);
        Set<String> tenantA = new HashSet<>();
        try (Connection c = TestPostgres.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?::vector, ?)")) {
            for (int i = 1; i <= 300; i++) {
                boolean a = random.nextBoolean();
                if (a) {
                    tenantA.add(Integer.toString(i));
                }
                insert.setInt(1, i);
                insert.setString(2, Floats.text(Floats.random(random, DIMS)));
                insert.setString(3, a ? "A" : "B");
                insert.addBatch();
            }
            insert.executeBatch();
        }
        String lsn = currentLsn();
        String path = "/v1/collections/" + name + "/search";
        Reply missing = call("POST", path, search(Floats.random(random, DIMS), 5, ""));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("error").asText()).isEqualTo("tenant_required");
        for (int q = 0; q < 50; q++) {
            int k = 1 + random.nextInt(q == 0 ? 300 : 60);
            String metric = List.of("l2", "cosine", "ip", "l1").get(random.nextInt(4));
            Reply reply = call("POST", path, search(Floats.random(random, DIMS), k, ", \"tenant\": \"A\", \"metric\": \""
                    + metric + "\", \"min_lsn\": \"" + lsn + "\", \"timeout_ms\": 60000"));
            List<String> ids = ids(reply);
            assertThat(tenantA).as("query %d (k=%d, %s)", q, k, metric).containsAll(ids);
            assertThat(ids).hasSize(Math.min(k, tenantA.size()));
        }
    }

    @Test
    void shouldExposePrometheusMetricsCountingSearches() throws Exception {
        String table = createTable("id int PRIMARY KEY, embedding vector(3)");
        String name = "m" + TestPostgres.unique();
        assertThat(register(name, table, "").status()).isEqualTo(201);
        double before = searchCount();
        for (int i = 0; i < 3; i++) {
            assertThat(call("POST", "/v1/collections/" + name + "/search", search(new float[] {1, 2, 3}, 1, "")).status())
                    .isEqualTo(200);
        }
        assertThat(searchCount()).isEqualTo(before + 3);
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains("ruvector_capture_changes_total", "kafka_stream_", "jvm_memory_used_bytes",
                "ruvector_search_seconds_bucket");
    }

    private static double searchCount() throws Exception {
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(l -> l.startsWith("ruvector_search_seconds_count"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    @Test
    void shouldAnswer504NamingTheLsnWhenMinLsnIsUnreachable() throws Exception {
        String table = createTable("id int PRIMARY KEY, embedding vector(3)");
        String name = "w" + TestPostgres.unique();
        assertThat(register(name, table, "").status()).isEqualTo(201);
        Reply reply = call("POST", "/v1/collections/" + name + "/search",
                "{\"vector\": [1, 2, 3], \"min_lsn\": \"FFFFFFFF/0\", \"timeout_ms\": 300}");
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(504);
        assertThat(reply.body().get("error").asText()).isEqualTo("watermark_timeout");
        assertThat(reply.body().get("detail").asText()).contains("FFFFFFFF/0").contains("300 ms").contains("partition");
        Reply after = call("POST", "/v1/collections/" + name + "/search", "{\"vector\": [1, 2, 3]}");
        assertThat(after.status()).as("%s", after.body()).isEqualTo(200);
    }
}
