package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.HealingOutcome;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.Strategies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The healing loop end to end on real PostgreSQL + pgvector and the in-process broker: a fault
 * degrades the collection, the engine classifies it from the witness edges and samples, commands
 * the strategy, the owning module's executor applies and acks it, λ is re-read and the outcome is
 * signed and recorded. Fast cadences set by the test, as a user would with the policy and the
 * healing configuration: samples every second, stress after one sample, 45 s stabilisation, no
 * minimum interval between attempts.
 */
@RunsAlone
class HealingIT {

    @TempDir
    Path dataDir;
    private final String deployment = "it_" + TestPostgres.unique();
    private EmbeddedRuntime runtime;
    private HealingClient api;

    @BeforeEach
    void start() throws Exception {
        runtime = new EmbeddedRuntime(RuntimeConfig.of(dataDir, TestPostgres.SETTINGS).withBroker(BrokerConfig.ephemeral(dataDir))
                .withDeployment(deployment).withVectorPartitions(4).withHttp(HttpSettings.loopback(0))
                .withSampleInterval(Duration.ofSeconds(1))).start();
        api = new HealingClient(runtime.serveHttp(0).port());
        api.await("/v1/healing", b -> b.has("settings"), "the healing engine running", Duration.ofSeconds(60));
        assertThat(api.put("/v1/healing/config", "{\"stabilisation_seconds\": 3, \"min_healing_interval_seconds\": 0, "
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
    void shouldThrottleVerifyAndSignWhenABacklogPutsTheIndexOverItsLagBudget() throws Exception {
        String table = "heal_" + TestPostgres.unique();
        String name = "hb" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(32))");
        runtime.register(new CollectionRequest(name, "public." + table, "id", "embedding", Metric.L2, null, List.of(), 0, 0, 0), 32);
        // a tight lag budget and one sample to stress: a bulk load is a backlog incident
        assertThat(api.put("/v1/collections/" + name + "/integrity/policy", "{\"lag_budget_records\": 200, "
                + "\"lag_budget_millis\": 500, \"samples_to_stress\": 1, \"recovery_hold_seconds\": 3, \"cooldown_seconds\": 1}")
                .statusCode()).isEqualTo(200);
        // the throttle needs the index to drain the backlog before λ can recover (apply rates cover 10 s too): 45 s, not 3
        assertThat(api.put("/v1/healing/config", "{\"stabilisation_seconds\": 45}").statusCode()).isEqualTo(200);
        api.await("/v1/collections/" + name + "/integrity", b -> b.path("state").asText().equals("normal")
                && b.path("policy").path("lag_budget_records").asLong() == 200, "a normal evaluation under the test policy",
                Duration.ofSeconds(60));

        TestPostgres.exec("INSERT INTO " + table + " SELECT g, (SELECT array_agg(random()) FROM generate_series(1, 32) "
                + "WHERE g > 0)::real[]::vector FROM generate_series(1, 60000) g");

        // detect + 45 s stabilisation take ~60 s here; 180 s leaves room for a loaded CI machine (one run's
        // runtime took 21.8 s to be ready instead of ~4 s, and no outcome came within 120 s)
        JsonNode outcome = api.awaitOutcome(name, Strategies.THROTTLE_INGESTION, Duration.ofSeconds(180));
        System.out.println("HealingIT backlog outcome: " + outcome);
        assertThat(outcome.path("problem_class").asText()).isEqualTo("hotspot_congestion");
        assertThat(outcome.path("trigger").asText()).isEqualTo("auto");
        assertThat(outcome.path("success").asBoolean()).as("the capture applied the throttle").isTrue();
        assertThat(outcome.path("verified").asBoolean()).as("λ recovered after the stabilisation wait").isTrue();
        assertThat(outcome.path("lambda_after").asDouble()).isGreaterThan(1.1 * outcome.path("lambda_before").asDouble());
        assertThat(outcome.path("witness_edges")).isNotEmpty();

        String id = outcome.path("id").asText();
        String key = api.get("/v1/audit/public-key").path("public_key").asText();
        List<RemediationCommand> commands = SignedRecords.read(runtime.bootstrapServers(),
                runtime.config().topics().healingCommands(), RemediationCommand.class);
        RemediationCommand command = commands.stream().filter(c -> c.getCommandId().equals(id)).findFirst().orElseThrow();
        assertThat(command.getParams()).containsKey(Strategies.PARAM_ADMIT_FRACTION);
        assertThat(SignedRecords.verifies(command, key)).as("the command's signature").isTrue();
        List<CommandAck> acks = SignedRecords.read(runtime.bootstrapServers(), runtime.config().topics().healingAcks(),
                CommandAck.class).stream().filter(a -> a.getCommandId().equals(id)).toList();
        assertThat(acks).singleElement().satisfies(a -> {
            assertThat(a.getStatus()).isEqualTo(AckStatus.APPLIED);
            assertThat(a.getExecutor()).isEqualTo("capture@" + deployment);
        });
        HealingOutcome signed = SignedRecords.read(runtime.bootstrapServers(), runtime.config().topics().healingOutcomes(),
                HealingOutcome.class).stream().filter(o -> o.getOutcomeId().equals(id)).findFirst().orElseThrow();
        assertThat(SignedRecords.verifies(signed, key)).as("the outcome's signature").isTrue();
        assertThat(SignedRecords.verifies(HealingOutcome.newBuilder(signed).setVerified(!signed.getVerified()).build(), key))
                .as("a changed outcome fails").isFalse();

        // nothing lost while throttled: the index holds every row
        api.await("/v1/collections/" + name + "/stats", s -> s.path("count").asLong() == 60_000, "all 60,000 rows indexed",
                Duration.ofSeconds(120));
        JsonNode status = api.get("/v1/collections/" + name + "/healing");
        assertThat(status.path("last_outcome").path("id").asText()).isEqualTo(id);
        String metrics = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + runtime.serveHttp(0).port() + "/metrics"))).body();
        assertThat(metrics).contains("ruvector_healing_active{collection=\"" + name + "\"");
        checkRulesAgainstARealScrape(metrics, name);
    }

    /**
     * Prometheus's own tools on the real meters: {@code promtool check metrics} on the scrape, and a
     * Prometheus server that scrapes this runtime and evaluates every shipped rule without error.
     */
    private void checkRulesAgainstARealScrape(String scrape, String collection) throws Exception {
        Process check = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        check.getOutputStream().write(scrape.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        check.getOutputStream().close();
        String lint = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(lint).as("promtool check metrics").doesNotContain("error");
        try (PrometheusServer prometheus = PrometheusServer.scraping(runtime.serveHttp(0).port(), dataDir.resolve("prom"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            JsonNode rules = null;
            boolean evaluated = false;
            while (!evaluated && System.nanoTime() < deadline) {
                Thread.sleep(500);
                try {
                    rules = prometheus.api("rules");
                } catch (java.io.IOException starting) {
                    continue;
                }
                int ok = 0;
                for (JsonNode group : rules.path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        if (rule.path("health").asText().equals("ok") && !rule.path("lastEvaluation").asText().startsWith("0001")) {
                            ok++;
                        }
                    }
                }
                evaluated = ok == 7 && !prometheus.query("ruvector_healing_attempts_total{collection=\"" + collection + "\"}").isEmpty();
            }
            assertThat(evaluated).as("all 7 rules evaluated healthily over a real scrape; last: %s", rules).isTrue();
            assertThat(prometheus.query("ruvector_healing_attempts_total{collection=\"" + collection
                    + "\",strategy=\"throttle_ingestion\"}").get(0).path("value").get(1).asDouble()).isGreaterThanOrEqualTo(1);
            assertThat(prometheus.query("ruvector_integrity_state{collection=\"" + collection + "\"}")).isNotEmpty();
        }
    }
}
