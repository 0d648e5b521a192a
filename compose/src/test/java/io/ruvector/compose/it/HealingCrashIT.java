package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.HealingOutcome;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.Strategies;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the runtime while a healing command is in flight: after the restart the command is
 * resolved exactly once — one APPLY command, one ack, one outcome for its id — whether the kill
 * landed before or after the executor applied it. Fast cadences (1 s samples, 3 s stabilisation)
 * are set by the test.
 */
class HealingCrashIT {

    @TempDir
    Path dataDir;
    private final List<Process> children = new ArrayList<>();
    private final String deployment = "hcrash_" + TestPostgres.unique();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : children) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        TestPostgres.dropDeployment(deployment);
    }

    @Test
    void shouldResolveAnInFlightCommandExactlyOnceWhenTheRuntimeIsKilled() throws Exception {
        String table = "hcrash_" + TestPostgres.unique();
        String collection = "hc" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(8))",
                "INSERT INTO " + table + " SELECT g, array_fill(g::real, ARRAY[8])::vector FROM generate_series(1, 500) g");
        int kafkaPort = freePort();
        int controllerPort = freePort();
        int httpPort = freePort();
        String bootstrap = start(table, collection, kafkaPort, controllerPort, httpPort);
        HealingClient api = new HealingClient(httpPort);
        api.await("/v1/healing", b -> b.has("settings"), "the healing engine running", Duration.ofSeconds(60));
        assertThat(api.put("/v1/healing/config", "{\"stabilisation_seconds\": 3, \"min_healing_interval_seconds\": 0}")
                .statusCode()).isEqualTo(200);
        api.await("/v1/collections/" + collection + "/integrity", b -> b.path("evaluated").asBoolean(),
                "a first evaluation", Duration.ofSeconds(60));

        JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(api.post("/v1/collections/" + collection
                + "/healing/execute", "{\"strategy\": \"throttle_ingestion\", \"params\": {\"admit_fraction\": \"0.5\"}}").body());
        String id = answer.path("action_id").asText();
        assertThat(id).as(answer.toString()).isNotEmpty();
        children.getFirst().destroyForcibly(); // SIGKILL right after the command was issued
        assertThat(children.getFirst().waitFor(30, TimeUnit.SECONDS)).isTrue();
        // the broker died with the runtime: what the topics hold is read after the restart
        start(table, collection, kafkaPort, controllerPort, httpPort);
        // (the restart's own catch-up may be healed too: that is another remediation, with another id)
        JsonNode outcome = api.awaitOutcomeOf(collection, id, Duration.ofSeconds(120));
        assertThat(outcome.path("strategy").asText()).isEqualTo(Strategies.THROTTLE_INGESTION);
        assertThat(outcome.path("success").asBoolean()).as(outcome.toString()).isTrue();

        List<RemediationCommand> applies = SignedRecords.read(bootstrap, "ruvector.healing.commands", RemediationCommand.class)
                .stream().filter(c -> c.getCommandId().equals(id) && c.getAction() == CommandAction.APPLY).toList();
        assertThat(applies).as("the command was issued once").hasSize(1);
        assertThat(acks(bootstrap, id)).as("the command was applied and acknowledged once").hasSize(1);
        List<HealingOutcome> outcomes = SignedRecords.read(bootstrap, "ruvector.healing.outcomes", HealingOutcome.class)
                .stream().filter(o -> o.getOutcomeId().equals(id)).toList();
        assertThat(outcomes).as("one outcome").hasSize(1);
    }

    private static List<CommandAck> acks(String bootstrap, String id) {
        return SignedRecords.read(bootstrap, "ruvector.healing.acks", CommandAck.class).stream()
                .filter(a -> a.getCommandId().equals(id)).toList();
    }

    private String start(String table, String collection, int kafkaPort, int controllerPort, int httpPort) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), HealingChild.class.getName(),
                dataDir.toString(), deployment, Integer.toString(kafkaPort), Integer.toString(controllerPort),
                Integer.toString(httpPort), table, collection).redirectErrorStream(true).start();
        children.addFirst(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READY ")) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "child-output");
                drain.setDaemon(true);
                drain.start();
                return line.substring(6).trim();
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        throw new AssertionError("child runtime did not become ready (" + (process.isAlive() ? "alive" : "exit " + process.exitValue()) + ")");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
