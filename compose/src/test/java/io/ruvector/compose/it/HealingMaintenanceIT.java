package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.dataset.TableLoader;
import io.ruvector.compose.dataset.VectorDataset;
import io.ruvector.compose.bench.ContendingJob;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.healing.Strategies;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index's executors end to end: a fragmented collection is compacted (deleted graph nodes
 * under 5 %, recall unchanged, index == table), and a long maintenance job contending with the
 * partitions is paused by the engine and resumes after. Fast cadences set by the test: samples
 * every second, 3 s stabilisation, no minimum interval between attempts.
 */
@RunsAlone
class HealingMaintenanceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 20_000;

    @TempDir
    Path dataDir;
    private final String deployment = "it_" + TestPostgres.unique();
    private EmbeddedRuntime runtime;
    private HealingClient api;
    private String name;
    private String table;
    private VectorDataset data;

    @BeforeEach
    void start() throws Exception {
        runtime = new EmbeddedRuntime(RuntimeConfig.of(dataDir, TestPostgres.SETTINGS).withBroker(BrokerConfig.ephemeral(dataDir))
                .withDeployment(deployment).withVectorPartitions(4).withHttp(HttpSettings.loopback(0))
                .withSampleInterval(Duration.ofSeconds(1))).start();
        api = new HealingClient(runtime.serveHttp(0).port());
        api.await("/v1/healing", b -> b.has("settings"), "the healing engine running", Duration.ofSeconds(60));
        assertThat(api.put("/v1/healing/config", "{\"stabilisation_seconds\": 3, \"min_healing_interval_seconds\": 0, "
                + "\"sample_freshness_seconds\": 10}").statusCode()).isEqualTo(200);
        name = "hm" + TestPostgres.unique();
        table = "heal_m_" + TestPostgres.unique();
        data = VectorDataset.clustered(ROWS, 32, 20, 100, 11);
        try (Connection c = TestPostgres.connect()) {
            TableLoader.load(c, table, data, n -> { });
        }
        runtime.register(new CollectionRequest(name, "public." + table, "id", "embedding", Metric.L2, null, List.of(), 0, 0, 0), 32);
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
    void shouldCompactAFragmentedCollectionKeepingRecallAndEveryRow() throws Exception {
        // the operator pauses background maintenance, so the deletes stay in the graphs as they
        // would when maintenance falls behind
        JsonNode paused = JSON.readTree(api.post("/v1/collections/" + name + "/healing/execute",
                "{\"strategy\": \"pause_maintenance\"}").body());
        assertThat(paused.path("decided").asBoolean()).as(paused.toString()).isTrue();
        api.awaitOutcome(name, Strategies.PAUSE_MAINTENANCE, Duration.ofSeconds(60));
        TestPostgres.exec("DELETE FROM " + table + " WHERE id % 5 IN (0, 1)");
        int kept = ROWS - ROWS * 2 / 5;
        JsonNode fragmented = api.await("/v1/collections/" + name + "/stats", s -> s.path("count").asLong() == kept,
                "the deletes applied", Duration.ofSeconds(60));
        double before = deletedFraction(fragmented);
        assertThat(before).as("deleted fraction before compaction").isGreaterThan(0.3);
        double recallBefore = api.recall(name, data.queries());

        JsonNode dry = JSON.readTree(api.post("/v1/collections/" + name + "/healing/execute",
                "{\"strategy\": \"compact_indexes\", \"dry_run\": true}").body());
        assertThat(dry.path("decided").asBoolean()).isTrue();
        JsonNode plan = api.await("/v1/collections/" + name + "/healing/history?limit=50", h -> h.path("outcomes").findValues("dry_run")
                .stream().anyMatch(JsonNode::asBoolean), "the dry run's outcome", Duration.ofSeconds(60));
        assertThat(deletedFraction(api.get("/v1/collections/" + name + "/stats"))).as("a dry run changes nothing")
                .isEqualTo(before);

        // The engine classifies from its latest index samples, up to one sample interval behind the
        // stats above: until a sample carries the deletes, a trigger sees no fragmentation (and an
        // unknown problem is never healed, so asking again costs no attempt).
        JsonNode triggered = JSON.readTree(api.post("/v1/collections/" + name + "/healing/trigger", "").body());
        long sampled = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (triggered.path("decision").asText().contains("unknown") && System.nanoTime() < sampled) {
            Thread.sleep(1_000);
            triggered = JSON.readTree(api.post("/v1/collections/" + name + "/healing/trigger", "").body());
        }
        assertThat(triggered.path("decision").asText()).as(triggered.toString()).contains("compact_indexes")
                .contains("index_fragmentation");
        JsonNode outcome = api.awaitOutcome(name, Strategies.COMPACT_INDEXES, Duration.ofSeconds(120));
        System.out.println("HealingMaintenanceIT compaction: " + outcome + " (plan " + plan.path("outcomes").get(0) + ")");
        assertThat(outcome.path("success").asBoolean()).isTrue();
        assertThat(outcome.path("verified").asBoolean()).isTrue();

        JsonNode after = api.get("/v1/collections/" + name + "/stats");
        assertThat(deletedFraction(after)).as("deleted fraction after compaction").isLessThan(0.05);
        assertThat(after.path("count").asLong()).as("index == table").isEqualTo(kept);
        double recallAfter = api.recall(name, data.queries());
        System.out.printf("HealingMaintenanceIT recall@10 before %.4f after %.4f, deleted %.3f -> %.3f%n", recallBefore,
                recallAfter, before, deletedFraction(after));
        assertThat(recallAfter).isCloseTo(recallBefore, org.assertj.core.data.Offset.offset(0.01));
        Set<Long> ids = new HashSet<>();
        for (List<Object> row : TestPostgres.query("SELECT id FROM " + table)) {
            ids.add(((Number) row.getFirst()).longValue());
        }
        assertThat(ids).hasSize(kept);
        for (long id : List.of(1L, 2L, 3L, 5L, 6L, 10L, 19_999L)) {
            int status = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + runtime.serveHttp(0).port() + "/v1/collections/" + name + "/vectors/" + id))).statusCode();
            assertThat(status).as("lookup of %d", id).isEqualTo(ids.contains(id) ? 200 : 404);
        }
    }

    @Test
    void shouldPauseAContendingMaintenanceJobAndResumeItAfter() throws Exception {
        assertThat(api.put("/v1/healing/config", "{\"effect_seconds\": 8}").statusCode()).isEqualTo(200);
        api.await("/v1/collections/" + name + "/integrity", b -> b.path("state").asText().equals("normal"),
                "a normal state first", Duration.ofSeconds(60));
        ContendingJob job = ContendingJob.start(runtime, name);
        try {
            JsonNode outcome = api.awaitOutcome(name, Strategies.PAUSE_MAINTENANCE, Duration.ofSeconds(120));
            System.out.println("HealingMaintenanceIT contention: " + outcome);
            assertThat(outcome.path("problem_class").asText()).isEqualTo("maintenance_contention");
            assertThat(outcome.path("verified").asBoolean()).as(outcome.toString()).isTrue();
            assertThat(job.pausedAtLeastOnce()).as("the job was held at a checkpoint").isTrue();
            job.awaitResumed(Duration.ofSeconds(30)); // the pause lapses after effect_seconds
        } finally {
            job.close();
        }
    }

    private static double deletedFraction(JsonNode stats) {
        double deleted = stats.path("deleted").asDouble();
        return deleted / (deleted + stats.path("count").asDouble());
    }
}
