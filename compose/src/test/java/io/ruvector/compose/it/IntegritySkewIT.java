package io.ruvector.compose.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.schemas.Metric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: writes skewed onto one partition (new ids chosen among those whose bucket
 * partition 0 owns, a hot key range) drive λ down; the state leaves normal and the witness edges name partition 0;
 * once the writes stop and the extra rows are gone, the state comes back to normal after the
 * recovery hold; the index then holds exactly the table's rows.
 */
@RunsAlone
class IntegritySkewIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HOT = 0;

    @TempDir
    Path dataDir;
    private final String deployment = "it_" + TestPostgres.unique();
    private final HttpClient client = HttpClient.newHttpClient();
    private EmbeddedRuntime runtime;

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        TestPostgres.dropDeployment(deployment);
    }

    @Test
    void skewedWritesDriveTheStateDownNamingTheHotPartitionAndItRecoversWhenTheyStop() throws Exception {
        runtime = new EmbeddedRuntime(RuntimeConfig.of(dataDir, TestPostgres.SETTINGS).withBroker(BrokerConfig.ephemeral(dataDir))
                .withDeployment(deployment).withVectorPartitions(4).withHttp(HttpSettings.loopback(0))
                .withSampleInterval(Duration.ofSeconds(1))).start();
        int port = runtime.serveHttp(0).port();
        String table = "skew_" + TestPostgres.unique();
        String name = "sk" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(4))");
        runtime.register(new CollectionRequest(name, "public." + table, "id", "embedding", Metric.L2, null, List.of(), 0, 0, 0), 4);
        assertThat(put(port, "/v1/collections/" + name + "/integrity/policy",
                "{\"recovery_hold_seconds\": 3, \"cooldown_seconds\": 1}")).isEqualTo(200);
        // Base data spread over every partition by the default routing: 16 equal, well separated
        // clusters (the corners of a 4-d cube), so the centroids are healthy and span all partitions.
        long[] written = {0};
        insert(table, written, 4_000);
        JsonNode calm = await(port, name, b -> b.path("evaluated").asBoolean() && b.path("policy").path("cooldown_seconds").asLong() == 1
                && b.path("state").asText().equals("normal") && b.path("lambda").asDouble() >= 0.9
                && b.path("node_count").asInt() > 8,
                "a normal evaluation of the spread data under the test policy", Duration.ofSeconds(90));

        // from now on every new row lands on one partition: its ids fall in the buckets partition HOT owns
        long[] hotIds = {1_000_000};
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                while (writing.get()) {
                    insertHot(table, written, hotIds, 50);
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode hot;
        int throttled = 0;
        // Prometheus scrapes this runtime with the shipped rules; their 1-10 min holds shortened to 1 s here
        PrometheusServer prometheus = PrometheusServer.scraping(port, dataDir.resolve("prom"), Duration.ofSeconds(1));
        try (prometheus) {
            hot = await(port, name, b -> b.path("state").asText().equals("critical"), "the critical state",
                    Duration.ofSeconds(90));
            // critical: searches are low-risk work admitted at 0.8, the rest answered 429 with Retry-After
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/v1/collections/" + name + "/search")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"vector\": [1,1,1,1], \"k\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 429) {
                    throttled++;
                    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                    assertThat(r.body()).contains("\"throttled\"");
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                }
            }
            JsonNode alert = awaitFiring(prometheus, "RuVectorIntegrityCritical", name, Duration.ofSeconds(30));
            System.out.println("IntegritySkewIT: alert " + alert);
            checkOperatorPage(port, name);
        } finally {
            writing.set(false);
            writer.join();
        }
        System.out.println("IntegritySkewIT under skew: " + hot);
        assertThat(hot.get("state").asText()).isEqualTo("critical");
        assertThat(throttled).as("429s among 10 searches at an admit fraction of 0.8").isBetween(1, 2);
        assertThat(hot.get("lambda").asDouble()).isLessThan(0.8);
        List<String> named = new ArrayList<>();
        hot.get("witness_edges").forEach(e -> {
            named.add(e.get("source_type").asText() + ":" + e.get("source_id").asText());
            named.add(e.get("target_type").asText() + ":" + e.get("target_id").asText());
        });
        assertThat(named).as("witness edge endpoints").anyMatch(n -> n.equals("partition:" + HOT));
        assertThat(hot.get("transitions").size()).isPositive();

        // Remove the cause: the hot partition's extra rows (a rebalance would move them; deleting
        // them is the quickest way back to an even spread).
        TestPostgres.exec("DELETE FROM " + table + " WHERE id > 4000");
        long kept = 4_000;
        JsonNode recovered = await(port, name, b -> b.path("state").asText().equals("normal"), "recovery to normal",
                Duration.ofSeconds(120));
        assertThat(recovered.get("lambda").asDouble()).isGreaterThanOrEqualTo(0.8);
        JsonNode last = recovered.get("transitions").get(recovered.get("transitions").size() - 1);
        assertThat(last.get("to").asText()).isEqualTo("normal");

        String lsn = (String) TestPostgres.query("SELECT pg_current_wal_lsn()::text").getFirst().getFirst();
        HttpResponse<String> stats;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            post(port, "/v1/collections/" + name + "/search", "{\"vector\": [1,1,1,1], \"k\": 1, \"min_lsn\": \"" + lsn
                    + "\", \"timeout_ms\": 30000}");
            stats = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/collections/" + name + "/stats"))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } while (JSON.readTree(stats.body()).get("count").asLong() != kept && System.nanoTime() < deadline);
        JsonNode counts = JSON.readTree(stats.body());
        assertThat(counts.get("count").asLong()).as("index == table").isEqualTo(kept);
        assertThat(written[0]).as("skewed rows were written").isGreaterThan(kept);
    }

    /** Inserts {@code rows} more rows: id n goes to cluster n % 16, a corner of the cube {0, 10}^4, plus noise. */
    private static void insert(String table, long[] written, int rows) throws Exception {
        long from = written[0] + 1;
        TestPostgres.exec("INSERT INTO " + table + " SELECT g, ARRAY[(g % 2) * 10 + random(), ((g / 2) % 2) * 10 + random(), "
                + "((g / 4) % 2) * 10 + random(), ((g / 8) % 2) * 10 + random()]::real[]::vector "
                + "FROM generate_series(" + from + ", " + (from + rows - 1) + ") g");
        written[0] += rows;
    }

    /** Inserts {@code rows} rows whose ids partition {@link #HOT} owns (buckets round-robin over 4 partitions). */
    private static void insertHot(String table, long[] written, long[] nextId, int rows) throws Exception {
        StringBuilder ids = new StringBuilder();
        for (int n = 0; n < rows; nextId[0]++) {
            if (io.ruvector.schemas.route.Buckets.of(Long.toString(nextId[0])) % 4 == HOT) {
                ids.append(n++ == 0 ? "" : ",").append(nextId[0]);
            }
        }
        TestPostgres.exec("INSERT INTO " + table + " SELECT g, ARRAY[(g % 2) * 10 + random(), ((g / 2) % 2) * 10 + random(), "
                + "((g / 4) % 2) * 10 + random(), ((g / 8) % 2) * 10 + random()]::real[]::vector "
                + "FROM unnest(ARRAY[" + ids + "]::bigint[]) g");
        written[0] += rows;
    }

    /** Waits until Prometheus fires {@code alertName} for {@code collection}. */
    private static JsonNode awaitFiring(PrometheusServer prometheus, String alertName, String collection, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode alerts = null;
        while (System.nanoTime() < deadline) {
            alerts = prometheus.alerts();
            for (JsonNode alert : alerts) {
                if (alert.at("/labels/alertname").asText().equals(alertName) && alert.at("/labels/collection").asText().equals(collection)
                        && alert.path("state").asText().equals("firing")) {
                    return alert;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError(alertName + " did not fire for " + collection + " within " + timeout + "; alerts: " + alerts);
    }

    /**
     * Headless Chromium loads /ui while the collection is critical: its card shows the state, a λ
     * history that went through critical, the transitions, and the witness edges naming the hot
     * partition. The screenshot stays in target/ as an artefact.
     */
    private static void checkOperatorPage(int port, String name) throws Exception {
        String url = "http://127.0.0.1:" + port + "/ui";
        String dom = HeadlessChromium.dom(url);
        org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(dom);
        org.jsoup.nodes.Element card = page.selectFirst("section.collection[data-name=" + name + "]");
        assertThat(card).as("the collection's card on /ui: %s", dom.length() > 2000 ? dom.substring(0, 2000) : dom).isNotNull();
        assertThat(card.attr("data-state")).isEqualTo("critical");
        assertThat(card.selectFirst("svg.lambda-history").attr("data-points")).isNotEqualTo("0");
        assertThat(card.select("svg.lambda-history rect[data-state=critical]")).as("critical in the λ history").isNotEmpty();
        assertThat(card.select("ul.transitions li[data-to=critical]")).as("the transition to critical").isNotEmpty();
        assertThat(card.select("svg.witness-graph g.edge")).as("witness edges drawn").isNotEmpty();
        assertThat(card.select("svg.witness-graph g.node[data-id=partition:" + HOT + "]")).as("the hot partition in the witness graph")
                .isNotEmpty();
        assertThat(card.select("table.gates tr[data-risk]")).hasSize(3);
        java.nio.file.Path shot = java.nio.file.Path.of("target", "ui-artefacts", "integrity-critical.png");
        java.nio.file.Files.createDirectories(shot.getParent());
        HeadlessChromium.screenshot(url, shot);
        System.out.println("IntegritySkewIT: /ui checked in the DOM; screenshot " + shot.toAbsolutePath());
    }

    private JsonNode await(int port, String name, Predicate<JsonNode> done, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v1/collections/" + name + "/integrity")).build(), HttpResponse.BodyHandlers.ofString());
            last = JSON.readTree(r.body());
            if (r.statusCode() == 200 && done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("integrity never showed " + what + " within " + timeout + "; last " + last);
    }

    private int put(int port, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private void post(int port, String path, String body) throws Exception {
        client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
