package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.broker.EmbeddedKafkaBroker;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.schemas.Metric;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate check} and {@code migrate verify} against an index whose capture stopped: a broker
 * of its own, the capture in one runtime and the index in another, so that the capture can stop
 * while the index keeps answering. Rows written meanwhile are found missing (and an update and a
 * delete not applied) until the capture is back and has caught up.
 */
class MigrationCheckIT {

    private static final int ROWS = 500;
    private static final int DIMS = 8;

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private EmbeddedRuntime capture;
    private EmbeddedRuntime index;
    private final String deployment = "mc_" + TestPostgres.unique();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {index, capture, broker}) {
            if (c != null) {
                c.close();
            }
        }
        TestPostgres.dropDeployment(deployment);
    }

    @Test
    void shouldFindRowsWrittenWhileTheCaptureWasStoppedAndNoneAfterItCaughtUp() throws Exception {
        broker = new EmbeddedKafkaBroker(BrokerConfig.ephemeral(dir.resolve("kafka"))).start();
        capture = startCapture();
        index = new EmbeddedRuntime(RuntimeConfig.of(dir.resolve("index"), TestPostgres.SETTINGS).withDeployment(deployment)
                .joining(broker.bootstrapServers()).withHttp(HttpSettings.loopback(0))).start();
        String api = "http://127.0.0.1:" + index.serveHttp(0).port();
        String table = "mc_" + TestPostgres.unique();
        String name = "mc" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(" + DIMS + "))",
                "INSERT INTO " + table + " SELECT g, (SELECT array_agg(random()::real) FROM generate_series(1, " + DIMS
                        + ") WHERE g > 0)::vector FROM generate_series(1, " + ROWS + ") g");
        capture.register(new CollectionRequest(name, "public." + table, "id", "embedding", Metric.L2, null, List.of(),
                0, 0, 0), DIMS);
        awaitRows(api, name, ROWS);

        CliRun clean = check(api, name, 30_000);
        assertThat(clean.code()).as(clean.out() + clean.err()).isZero();
        assertThat(clean.out()).contains("rows: table " + ROWS + ", index " + ROWS, "consistent");

        capture.close(); // the capture stops; the index keeps answering what it has
        capture = null;
        TestPostgres.exec("INSERT INTO " + table + " VALUES (" + (ROWS + 1) + ", '[1,2,3,4,5,6,7,8]')",
                "UPDATE " + table + " SET embedding = '[9,9,9,9,9,9,9,9]' WHERE id = 5",
                "DELETE FROM " + table + " WHERE id = 7");
        CliRun behind = check(api, name, 2_000);
        System.out.println("MigrationCheckIT while the capture is stopped:\n" + behind.out() + behind.err());
        assertThat(behind.code()).as(behind.err()).isEqualTo(1);
        assertThat(behind.out()).contains("missing_from_index   id " + (ROWS + 1), "vector_differs       id 5",
                "not_in_table         id 7", "BEHIND", "3 difference(s)");
        JsonNode json = new ObjectMapper().readTree(CliRun.run("migrate", "check", "--collection", name, "--timeout-ms", "500",
                "--json", "--pg", CliIT.pgUrl, "--http", api).out());
        assertThat(json.path("difference_count").asInt()).isEqualTo(3);
        assertThat(json.path("caught_up").asBoolean()).isFalse();

        CliRun verify = CliRun.run("migrate", "verify", "--collection", name, "--queries", "10",
                "--freshness-timeout-ms", "1000", "--pg", CliIT.pgUrl, "--http", api);
        System.out.println("MigrationCheckIT verify while the capture is stopped:\n" + verify.out() + verify.err());
        assertThat(verify.code()).as(verify.err()).isEqualTo(1);
        assertThat(verify.out()).contains("[FAIL] freshness: the index is behind PostgreSQL", "verdict: FAIL");

        capture = startCapture(); // resumes from its slot
        CliRun caughtUp = check(api, name, 60_000);
        System.out.println("MigrationCheckIT after catch-up:\n" + caughtUp.out() + caughtUp.err());
        assertThat(caughtUp.code()).as(caughtUp.out() + caughtUp.err()).isZero();
        assertThat(caughtUp.out()).contains("rows: table " + ROWS + ", index " + ROWS, "caught up", "consistent");
    }

    private EmbeddedRuntime startCapture() throws InterruptedException {
        return new EmbeddedRuntime(RuntimeConfig.of(dir.resolve("capture"), TestPostgres.SETTINGS).withDeployment(deployment)
                .withCaptureOnly(true).withKafka(broker.bootstrapServers())).start();
    }

    private static CliRun check(String api, String name, long timeoutMs) {
        return CliRun.run("migrate", "check", "--collection", name, "--timeout-ms", Long.toString(timeoutMs),
                "--pg", CliIT.pgUrl, "--http", api);
    }

    private static void awaitRows(String api, String name, int rows) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            HttpResponse<String> stats = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/collections/" + name
                    + "/stats")).build(), HttpResponse.BodyHandlers.ofString());
            if (stats.statusCode() == 200 && new ObjectMapper().readTree(stats.body()).path("count").asLong() >= rows) {
                return;
            }
            assertThat(System.nanoTime()).as("the index holds %d rows: %s", rows, stats.body()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
