package io.ruvector.compose.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A Kafka Connect distributed worker started in-process from Kafka's own classes
 * ({@code ConnectDistributed}), with its REST API on a free loopback port, for the cluster-mode
 * benchmark and tests. Debezium's connector and our converter come from the classpath (no
 * plugin.path); offsets are committed every 500 ms (the normaliser's watermarks follow them).
 */
public final class ConnectWorker implements AutoCloseable {

    /** The worker's {@code offset.storage.topic}: give it to the normaliser's {@code ConnectSource}. */
    public static final String OFFSETS_TOPIC = "ruvector-bench-connect-offsets";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connect<?> connect;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConnectWorker(String bootstrapServers, String groupId, int replicationFactor) {
        Map<String, String> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("group.id", groupId);
        p.put("config.storage.topic", groupId + "-configs");
        p.put("offset.storage.topic", OFFSETS_TOPIC);
        p.put("status.storage.topic", groupId + "-status");
        p.put("config.storage.replication.factor", Integer.toString(replicationFactor));
        p.put("offset.storage.replication.factor", Integer.toString(replicationFactor));
        p.put("status.storage.replication.factor", Integer.toString(replicationFactor));
        p.put("offset.storage.partitions", "5");
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        // watermarks follow the committed offsets: commit them often (docs/cluster.md)
        p.put("offset.flush.interval.ms", "500");
        p.put("listeners", "http://127.0.0.1:0");
        p.put("plugin.discovery", "service_load"); // Debezium and Kafka ship the manifests; no classpath scan
        p.put("scheduled.rebalance.max.delay.ms", "1000");
        connect = new ConnectDistributed().startConnect(p);
    }

    public URI rest() {
        return connect.rest().serverUrl();
    }

    /** Creates (or replaces) a connector from a {@code {"name", "config"}} document; waits until its task runs. */
    public void put(Map<String, Object> connector) throws Exception {
        String name = (String) connector.get("name");
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(rest().resolve("/connectors/" + name + "/config"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(connector.get("config")))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Connect refused connector " + name + ": " + response.statusCode() + " " + response.body());
        }
        awaitRunning(name, Duration.ofSeconds(90));
    }

    public void awaitRunning(String name, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> status = client.send(HttpRequest.newBuilder(rest().resolve("/connectors/" + name + "/status"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            last = status.body();
            if (status.statusCode() == 200) {
                JsonNode tasks = JSON.readTree(status.body()).path("tasks");
                if (tasks.size() > 0 && "RUNNING".equals(tasks.get(0).path("state").asText())) {
                    return;
                }
                if (tasks.size() > 0 && "FAILED".equals(tasks.get(0).path("state").asText())) {
                    throw new IllegalStateException("connector " + name + " failed: " + tasks.get(0).path("trace").asText());
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("connector " + name + " not running within " + timeout + ": " + last);
    }

    private boolean stopped;

    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        connect.stop();
        connect.awaitStop();
    }
}
