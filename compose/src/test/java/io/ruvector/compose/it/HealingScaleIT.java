package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.dataset.TableLoader;
import io.ruvector.compose.dataset.VectorDataset;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.healing.Strategies;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scale_replicas} on a real index application: a dry run adds no stream thread, an
 * operator's execute adds one through {@code KafkaStreams#addStreamThread} (the index then runs
 * its two partitions on two threads and still answers every row), and a rollback removes it.
 * No Kubernetes here (the StatefulSet call is tested against recorded requests in
 * {@code StatefulSetScalerTest}). Fast cadences set by the test: samples every second.
 */
class HealingScaleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 3_000;

    @TempDir
    Path dataDir;
    private final String deployment = "it_" + TestPostgres.unique();
    private EmbeddedRuntime runtime;
    private HealingClient api;
    private String name;

    @BeforeEach
    void start() throws Exception {
        runtime = new EmbeddedRuntime(RuntimeConfig.of(dataDir, TestPostgres.SETTINGS).withBroker(BrokerConfig.ephemeral(dataDir))
                .withDeployment(deployment).withHttp(HttpSettings.loopback(0)).withSampleInterval(Duration.ofSeconds(1)))
                .start();
        api = new HealingClient(runtime.serveHttp(0).port());
        api.await("/v1/healing", b -> b.has("settings"), "the healing engine running", Duration.ofSeconds(60));
        assertThat(api.put("/v1/healing/config", "{\"stabilisation_seconds\": 2, \"min_healing_interval_seconds\": 0, "
                + "\"sample_freshness_seconds\": 10}").statusCode()).isEqualTo(200);
        name = "hs" + TestPostgres.unique();
        String table = "heal_s_" + TestPostgres.unique();
        try (Connection c = TestPostgres.connect()) {
            TableLoader.load(c, table, VectorDataset.clustered(ROWS, 16, 10, 10, 5), n -> { });
        }
        runtime.register(new CollectionRequest(name, "public." + table, "id", "embedding", Metric.L2, null, List.of(), 0,
                0, 0), 16);
        api.await("/v1/collections/" + name + "/stats", s -> s.path("count").asLong() == ROWS, "all rows indexed",
                Duration.ofSeconds(120));
    }

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        TestPostgres.dropDeployment(deployment);
    }

    @Test
    void shouldAddAStreamThreadOnExecuteNotOnADryRunAndRemoveItOnRollback() throws Exception {
        assertThat(threads()).isEqualTo(1);

        JsonNode dry = JSON.readTree(api.post("/v1/collections/" + name + "/healing/execute",
                "{\"strategy\": \"scale_replicas\", \"dry_run\": true}").body());
        assertThat(dry.path("decided").asBoolean()).as(dry.toString()).isTrue();
        api.await("/v1/collections/" + name + "/healing/history?limit=50", h -> h.path("outcomes").findValues("dry_run")
                .stream().anyMatch(JsonNode::asBoolean), "the dry run's outcome", Duration.ofSeconds(60));
        assertThat(threads()).as("a dry run adds nothing").isEqualTo(1);

        JsonNode executed = JSON.readTree(api.post("/v1/collections/" + name + "/healing/execute",
                "{\"strategy\": \"scale_replicas\", \"params\": {\"max_threads\": \"2\"}}").body());
        assertThat(executed.path("decided").asBoolean()).as(executed.toString()).isTrue();
        JsonNode outcome = api.awaitOutcome(name, Strategies.SCALE_REPLICAS, Duration.ofSeconds(60));
        System.out.println("HealingScaleIT: " + outcome);
        assertThat(outcome.path("success").asBoolean()).as(outcome.toString()).isTrue();
        assertThat(threads()).isEqualTo(2);
        // both partitions are processed again, each on its own thread, and every row answers
        awaitRunning();
        assertThat(runtime.index().streams().metadataForLocalThreads()).allSatisfy(t ->
                assertThat(t.activeTasks()).hasSize(1));
        assertThat(api.get("/v1/collections/" + name + "/stats").path("count").asLong()).isEqualTo(ROWS);

        JsonNode rollback = JSON.readTree(api.post("/v1/collections/" + name + "/healing/rollback", "").body());
        assertThat(rollback.path("decided").asBoolean()).as(rollback.toString()).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (threads() != 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(threads()).as("the rollback removed the added thread").isEqualTo(1);
        awaitRunning();
        assertThat(api.get("/v1/collections/" + name + "/stats").path("count").asLong()).isEqualTo(ROWS);
    }

    private int threads() {
        return runtime.index().streams().metadataForLocalThreads().size();
    }

    private void awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && (runtime.index().streams().state()
                != org.apache.kafka.streams.KafkaStreams.State.RUNNING || runtime.index().streams()
                .metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum() < 2)) {
            Thread.sleep(200);
        }
    }
}
