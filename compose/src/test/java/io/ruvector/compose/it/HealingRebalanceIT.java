package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.healing.Strategies;
import io.ruvector.schemas.route.Buckets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, through the healing engine: a burst of rows whose ids all fall in partition 0's
 * buckets (a hot key range) makes partition 0 the hot spot; the engine classifies hotspot
 * congestion, chooses {@code rebalance_partitions} (lower impact than a throttle, and the load is
 * skewed), the capture publishes the next map epoch, the index hands the share of partition 0's
 * buckets that carries its excess to the seven other partitions, λ is re-read and the remediation verified; the state returns
 * to normal after the recovery hold, and the index equals the table. A dry run first changes
 * nothing. Fast cadences set by the test's policy: samples every second, 3 s recovery hold,
 * 20 s stabilisation, no minimum interval between attempts.
 */
@RunsAlone
class HealingRebalanceIT {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final int PARTITIONS = 8;
    private static final int HOT = 0;

    @TempDir
    Path dataDir;
    private final String deployment = "it_" + TestPostgres.unique();
    private EmbeddedRuntime runtime;
    private HealingClient api;

    @BeforeEach
    void start() throws Exception {
        runtime = new EmbeddedRuntime(RuntimeConfig.of(dataDir, TestPostgres.SETTINGS).withBroker(BrokerConfig.ephemeral(dataDir))
                .withDeployment(deployment).withVectorPartitions(PARTITIONS).withHttp(HttpSettings.loopback(0))
                .withSampleInterval(Duration.ofSeconds(1))).start();
        api = new HealingClient(runtime.serveHttp(0).port());
        api.await("/v1/healing", b -> b.has("settings"), "the healing engine running", Duration.ofSeconds(60));
        assertThat(api.put("/v1/healing/config", "{\"stabilisation_seconds\": 20, \"min_healing_interval_seconds\": 0, "
                + "\"sample_freshness_seconds\": 10}").statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        TestPostgres.dropDeployment(deployment);
    }

    @Test
    void shouldRebalanceAHotPartitionVerifyAndReturnToNormal() throws Exception {
        String table = "hr_" + TestPostgres.unique();
        String name = "hr" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(4))",
                "INSERT INTO " + table + " SELECT g, ARRAY[(g % 2) * 10 + random(), ((g / 2) % 2) * 10 + random(), "
                        + "((g / 4) % 2) * 10 + random(), ((g / 8) % 2) * 10 + random()]::real[]::vector "
                        + "FROM generate_series(1, 8000) g");
        runtime.register(new CollectionRequest(name, "public." + table, "id", "embedding", Metric.L2, null, List.of(), 0, 0, 0), 4);
        assertThat(api.put("/v1/collections/" + name + "/integrity/policy",
                "{\"recovery_hold_seconds\": 3, \"cooldown_seconds\": 1}").statusCode()).isEqualTo(200);
        api.await("/v1/collections/" + name + "/integrity", b -> b.path("state").asText().equals("normal")
                && b.path("evaluated").asBoolean() && b.path("policy").path("cooldown_seconds").asLong() == 1
                && b.path("node_count").asInt() > PARTITIONS, // the index's samples are in: its partitions are nodes
                "a normal evaluation of the spread rows", Duration.ofSeconds(90));

        // A dry run plans the move and changes nothing.
        assertThat(api.post("/v1/collections/" + name + "/healing/execute", "{\"strategy\": \"rebalance_partitions\", "
                + "\"dry_run\": true}").statusCode()).isBetween(200, 202);
        JsonNode dry = api.await("/v1/collections/" + name + "/healing", h -> h.path("last_decision").asText()
                .contains("dry run:"), "the dry run's plan", Duration.ofSeconds(60));
        System.out.println("HealingRebalanceIT dry run: " + dry.path("last_decision").asText());
        assertThat(dry.path("last_decision").asText()).contains("would move").contains("buckets to partition");
        assertThat(dry.path("last_outcome").path("params").path(Strategies.PARAM_FROM_PARTITION).asText()).isNotEmpty();
        assertThat(perPartition(name).values()).as("rows still spread after the dry run").allMatch(n -> n >= 900 && n <= 1100);

        // The burst: 14,000 rows whose buckets partition HOT owns (buckets round-robin over 8 partitions).
        StringBuilder ids = new StringBuilder();
        int hot = 0;
        for (long id = 1_000_000; hot < 14_000; id++) {
            if (Buckets.of(Long.toString(id)) % PARTITIONS == HOT) {
                ids.append(hot++ == 0 ? "" : ",").append(id);
            }
        }
        // the same 16 clusters as the spread rows (only where they are routed differs): the centroids keep their shape
        TestPostgres.exec("INSERT INTO " + table + " SELECT g, ARRAY[(g % 2) * 10 + random(), ((g / 2) % 2) * 10 + random(), "
                + "((g / 4) % 2) * 10 + random(), ((g / 8) % 2) * 10 + random()]::real[]::vector "
                + "FROM unnest(ARRAY[" + ids + "]::bigint[]) g");

        JsonNode outcome = api.awaitOutcome(name, Strategies.REBALANCE_PARTITIONS, Duration.ofSeconds(150));
        System.out.println("HealingRebalanceIT outcome: " + outcome);
        System.out.println("HealingRebalanceIT rows per partition after: " + perPartition(name));
        assertThat(outcome.path("problem_class").asText()).isEqualTo("hotspot_congestion");
        assertThat(outcome.path("trigger").asText()).isEqualTo("auto");
        assertThat(outcome.path("success").asBoolean()).as("the capture published the next epoch").isTrue();
        assertThat(outcome.path("verified").asBoolean()).as("λ improved after the hand-off").isTrue();
        assertThat(outcome.path("lambda_after").asDouble()).isGreaterThan(1.1 * outcome.path("lambda_before").asDouble());
        Map<Integer, Long> rows = perPartition(name);
        // 15,000 of 22,000 rows on partition 0 (5.5× the mean): its excess went to the seven others
        assertThat(rows.get(HOT)).as("the hot partition kept about the mean").isLessThan(4_000L);
        assertThat(rows.values()).as("no partition became the next hot spot").allMatch(n -> n < 4_000);
        // the rows that left are unlinked from partition 0's graph at once: a move is not fragmentation
        assertThat(runtime.index().stats(name).get(HOT).deletedGraphNodes()).as("deleted graph nodes on the old owner")
                .isLessThan(1_000);

        JsonNode normal = api.await("/v1/collections/" + name + "/integrity", b -> b.path("state").asText().equals("normal"),
                "normal after the recovery hold", Duration.ofSeconds(120));
        assertThat(normal.path("lambda").asDouble()).isGreaterThanOrEqualTo(0.8);
        Map<String, String> expected = TableState.table(table);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (perPartition(name).values().stream().mapToLong(Long::longValue).sum() != expected.size()) {
            assertThat(System.nanoTime()).as("the hand-off settles").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(IndexRows.of(runtime, name, expected.keySet())).as("index == table").isEqualTo(expected);
    }

    /**
     * A step that does not help is undone: a steady stream of writes whose ids all fall in
     * partition 0's buckets keeps partition 0 hot (its apply rate far over the mean, so λ stays
     * low for as long as the stream runs). With automatic healing off for the collection (so that
     * only this step acts) the operator moves every bucket of partition 1 onto partition 0: the
     * stream still lands on partition 0, λ does not improve, and the engine rolls the step back
     * (the capture publishes the previous buckets as the next epoch); partition 1's rows return.
     */
    @Test
    void shouldUndoARebalanceStepThatDidNotHelp() throws Exception {
        String table = "hw_" + TestPostgres.unique();
        String name = "hw" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(4))",
                "INSERT INTO " + table + " SELECT g, ARRAY[(g % 2) * 10 + random(), ((g / 2) % 2) * 10 + random(), "
                        + "((g / 4) % 2) * 10 + random(), ((g / 8) % 2) * 10 + random()]::real[]::vector "
                        + "FROM generate_series(1, 8000) g");
        runtime.register(new CollectionRequest(name, "public." + table, "id", "embedding", Metric.L2, null, List.of(), 0, 0, 0), 4);
        assertThat(api.put("/v1/collections/" + name + "/healing/config", "{\"enabled\": false}").statusCode()).isEqualTo(200);
        assertThat(api.put("/v1/collections/" + name + "/integrity/policy",
                "{\"recovery_hold_seconds\": 3, \"cooldown_seconds\": 1}").statusCode()).isEqualTo(200);
        api.await("/v1/collections/" + name + "/stats", b -> b.path("count").asLong() == 8_000, "the rows indexed",
                Duration.ofSeconds(120));

        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread writer = Thread.ofPlatform().name("hot-writer").start(() -> {
            long id = 1_000_000;
            try {
                while (writing.get()) { // about 200 rows a second, all in partition 0's buckets
                    StringBuilder batch = new StringBuilder();
                    for (int n = 0; n < 20; id++) {
                        if (Buckets.of(Long.toString(id)) % PARTITIONS == HOT) {
                            batch.append(n++ == 0 ? "" : ",").append(id);
                        }
                    }
                    TestPostgres.exec("INSERT INTO " + table + " SELECT g, ARRAY[(g % 2) * 10 + random(), "
                            + "((g / 2) % 2) * 10 + random(), ((g / 4) % 2) * 10 + random(), ((g / 8) % 2) * 10 + random()]"
                            + "::real[]::vector FROM unnest(ARRAY[" + batch + "]::bigint[]) g");
                    Thread.sleep(100);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            api.await("/v1/collections/" + name + "/integrity", b -> !b.path("state").asText().equals("normal"),
                    "the hot partition detected", Duration.ofSeconds(90));
            long onePartition = perPartition(name).get(1);
            JsonNode executed = JSON.readTree(api.post("/v1/collections/" + name + "/healing/execute",
                    "{\"strategy\": \"rebalance_partitions\", \"params\": {\"from_partition\": \"1\", "
                            + "\"to_partition\": \"" + HOT + "\", \"move_fraction\": \"1.0\"}}").body());
            assertThat(executed.path("decided").asBoolean()).as(executed.toString()).isTrue();
            JsonNode outcome = api.awaitOutcome(name, Strategies.REBALANCE_PARTITIONS, Duration.ofSeconds(150));
            System.out.println("HealingRebalanceIT worsening step: λ " + outcome.path("lambda_before").asDouble() + " -> "
                    + outcome.path("lambda_after").asDouble() + ", verified " + outcome.path("verified").asBoolean()
                    + ", rolled back " + outcome.path("rolled_back").asBoolean() + ", error " + outcome.path("error"));
            assertThat(outcome.path("success").asBoolean()).as("the step was applied").isTrue();
            assertThat(outcome.path("verified").asBoolean()).as("λ did not improve").isFalse();
            assertThat(outcome.path("rolled_back").asBoolean()).as("the step was undone").isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (perPartition(name).get(1) != onePartition) {
                assertThat(System.nanoTime()).as("partition 1's rows return: %s", perPartition(name)).isLessThan(deadline);
                Thread.sleep(200);
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        Map<String, String> expected = TableState.table(table);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (perPartition(name).values().stream().mapToLong(Long::longValue).sum() != expected.size()) {
            assertThat(System.nanoTime()).as("the index holds the table's rows").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(IndexRows.of(runtime, name, expected.keySet())).as("index == table").isEqualTo(expected);
    }

    private Map<Integer, Long> perPartition(String name) {
        Map<Integer, Long> rows = new java.util.TreeMap<>();
        runtime.index().stats(name).forEach((p, s) -> rows.put(p, (long) s.liveRows()));
        return rows;
    }
}
