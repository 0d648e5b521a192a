package io.ruvector.index.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes calls of {@code scale_replicas}, against a local HTTP server that plays the API
 * server's StatefulSet resource (resource versions, merge patches of {@code spec.replicas} and
 * annotations, 409 on a stale version, Status objects on errors) and records every request: the
 * requests are what a real API server would receive (method, path, headers, body). No cluster
 * runs here.
 */
class StatefulSetScalerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private HttpServer server;
    private final List<String> recorded = new ArrayList<>();
    private ObjectNode statefulSet;
    private int resourceVersion = 100;
    /** When set, the next PATCH first sees another writer's change (a concurrent instance). */
    private Runnable concurrentWriter;
    private int status = 200;

    @BeforeEach
    void start() throws IOException {
        statefulSet = JSON.createObjectNode();
        statefulSet.putObject("metadata").put("name", "ruvector-index").put("namespace", "vectors")
                .put("resourceVersion", Integer.toString(resourceVersion)).putObject("annotations");
        statefulSet.putObject("spec").put("replicas", 2);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        recorded.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                + exchange.getRequestHeaders().getFirst("Authorization") + " type="
                + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
        if (status != 200) {
            answer(exchange, status, "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"statefulsets.apps "
                    + "\\\"ruvector-index\\\" is forbidden: User \\\"system:serviceaccount:vectors:index\\\" cannot patch\","
                    + "\"code\":" + status + "}");
            return;
        }
        if (!exchange.getRequestURI().getPath().equals("/apis/apps/v1/namespaces/vectors/statefulsets/ruvector-index")) {
            answer(exchange, 404, "{\"kind\":\"Status\",\"message\":\"not found\",\"code\":404}");
            return;
        }
        if (exchange.getRequestMethod().equals("PATCH")) {
            if (concurrentWriter != null) {
                concurrentWriter.run();
                concurrentWriter = null;
            }
            JsonNode patch = JSON.readTree(body);
            String expected = statefulSet.path("metadata").path("resourceVersion").asText();
            if (!patch.path("metadata").path("resourceVersion").asText().equals(expected)) {
                answer(exchange, 409, "{\"kind\":\"Status\",\"reason\":\"Conflict\",\"message\":\"the object has been "
                        + "modified\",\"code\":409}");
                return;
            }
            merge(patch);
        }
        answer(exchange, 200, JSON.writeValueAsString(statefulSet));
    }

    private void merge(JsonNode patch) {
        ((ObjectNode) statefulSet.path("spec")).put("replicas", patch.path("spec").path("replicas").asInt());
        patch.path("metadata").path("annotations").properties().forEach(e ->
                ((ObjectNode) statefulSet.path("metadata").path("annotations")).set(e.getKey(), e.getValue()));
        ((ObjectNode) statefulSet.path("metadata")).put("resourceVersion", Integer.toString(++resourceVersion));
    }

    private static void answer(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private StatefulSetScaler scaler() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "sa-token-1\n");
        return new StatefulSetScaler(new KubernetesTarget(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "vectors", "ruvector-index", token, null));
    }

    @Test
    void shouldPatchReplicasWithTheCommandIdAndTheReadVersionAsAMergePatch() throws Exception {
        StatefulSetScaler.Scaled scaled = scaler().scaleUp("cmd-1", 1, 16);

        assertThat(scaled).isEqualTo(new StatefulSetScaler.Scaled(2, 3, true));
        assertThat(recorded).containsExactly(
                "GET /apis/apps/v1/namespaces/vectors/statefulsets/ruvector-index auth=Bearer sa-token-1 type=null ",
                "PATCH /apis/apps/v1/namespaces/vectors/statefulsets/ruvector-index auth=Bearer sa-token-1 "
                        + "type=application/merge-patch+json {\"metadata\":{\"resourceVersion\":\"100\",\"annotations\":"
                        + "{\"ruvector.io/scale-command\":\"cmd-1\",\"ruvector.io/scale-replicas-before\":\"2\"}},"
                        + "\"spec\":{\"replicas\":3}}");
    }

    @Test
    void shouldScaleOncePerCommandWhenEveryInstanceExecutesIt() throws Exception {
        StatefulSetScaler scaler = scaler();
        scaler.scaleUp("cmd-1", 1, 16);
        // another instance applies the same command at the same time: it reads version 100, loses the race
        resourceVersion = 100;
        StatefulSetScaler.Scaled again = scaler.scaleUp("cmd-1", 1, 16);

        assertThat(again).isEqualTo(new StatefulSetScaler.Scaled(2, 3, false));
        assertThat(statefulSet.path("spec").path("replicas").asInt()).isEqualTo(3);
    }

    @Test
    void shouldRereadAndFindTheCommandAppliedWhenAnotherInstancePatchedInBetween() throws Exception {
        concurrentWriter = () -> merge(JSON.createObjectNode().<ObjectNode>set("spec", JSON.createObjectNode()
                .put("replicas", 3)).set("metadata", JSON.createObjectNode().set("annotations", JSON.createObjectNode()
                .put(StatefulSetScaler.LAST_COMMAND, "cmd-1").put(StatefulSetScaler.REPLICAS_BEFORE, "2"))));

        StatefulSetScaler.Scaled scaled = scaler().scaleUp("cmd-1", 1, 16);

        assertThat(scaled).isEqualTo(new StatefulSetScaler.Scaled(2, 3, false));
        assertThat(recorded).hasSize(3); // GET, PATCH answered 409, GET that finds the command
        assertThat(recorded.get(1)).startsWith("PATCH");
        assertThat(statefulSet.path("spec").path("replicas").asInt()).as("scaled once").isEqualTo(3);
    }

    @Test
    void shouldRestoreTheReplicasOnRollbackOnlyWhileTheCommandIsTheLast() throws Exception {
        StatefulSetScaler scaler = scaler();
        scaler.scaleUp("cmd-1", 2, 16);
        scaler.scaleUp("cmd-2", 1, 16);
        assertThat(statefulSet.path("spec").path("replicas").asInt()).isEqualTo(5);

        assertThatThrownBy(() -> scaler.rollBack("cmd-1")).as("superseded by cmd-2")
                .hasMessageContaining("last scale command is cmd-2");
        assertThat(scaler.rollBack("cmd-2")).isEqualTo(new StatefulSetScaler.Scaled(5, 4, true));
        assertThat(scaler.rollBack("cmd-2")).as("again: nothing more").isEqualTo(new StatefulSetScaler.Scaled(4, 4, false));
    }

    @Test
    void shouldStopAtTheMostReplicasAllowed() throws Exception {
        assertThat(scaler().scaleUp("cmd-1", 5, 4).after()).isEqualTo(4);
    }

    @Test
    void shouldNameTheApiServersMessageWhenItRefuses() throws Exception {
        status = 403;

        assertThatThrownBy(() -> scaler().scaleUp("cmd-1", 1, 16)).hasMessageContaining("answered 403")
                .hasMessageContaining("cannot patch");
    }

    @Test
    void shouldRefuseANamespaceThatIsNoDnsLabel() {
        assertThatThrownBy(() -> KubernetesTarget.inCluster("Vectors_1", "index"))
                .hasMessageContaining("DNS-1123");
    }
}
