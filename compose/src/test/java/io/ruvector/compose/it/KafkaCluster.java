package io.ruvector.compose.it;

import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.broker.EmbeddedKafkaBroker;
import io.ruvector.compose.broker.KraftNode;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A KRaft cluster of three broker+controller nodes on loopback, from Kafka's production classes:
 * nodes 1 and 2 in this JVM, node 3 in a child JVM ({@link KafkaNodeChild}) so that a test can
 * kill it with SIGKILL. Replication 3, min ISR 2.
 */
final class KafkaCluster implements AutoCloseable {

    static final int KILLABLE_NODE = 3;

    private final Map<Integer, Integer> ports = new HashMap<>();
    private final Map<Integer, Integer> controllerPorts = new HashMap<>();
    private final List<EmbeddedKafkaBroker> inProcess = new ArrayList<>();
    private final Path dir;
    private final String clusterId = Uuid.randomUuid().toString();
    private Process child;

    KafkaCluster(Path dir) throws Exception {
        this.dir = dir;
        java.nio.file.Files.createDirectories(dir);
        for (int node = 1; node <= 3; node++) {
            ports.put(node, freePort());
            controllerPorts.put(node, freePort());
        }
        child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), KafkaNodeChild.class.getName(),
                dir.resolve("node-3").toString(), Integer.toString(ports.get(3)), clusterId, votersArg())
                .redirectErrorStream(true).redirectOutput(dir.resolve("node-3.log").toFile()).start();
        // every node waits for a quorum while it starts: start them together
        List<CompletableFuture<EmbeddedKafkaBroker>> starting = new ArrayList<>();
        for (int node = 1; node <= 2; node++) {
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(config(dir.resolve("node-" + node), node));
            inProcess.add(broker);
            starting.add(CompletableFuture.supplyAsync(broker::start));
        }
        for (CompletableFuture<EmbeddedKafkaBroker> f : starting) {
            f.get(120, java.util.concurrent.TimeUnit.SECONDS);
        }
        awaitListening(ports.get(3));
    }

    private BrokerConfig config(Path nodeDir, int node) {
        return new BrokerConfig(nodeDir, ports.get(node), controllerPorts.get(node),
                new KraftNode(node, clusterId, controllerPorts, (short) 3, 2));
    }

    private String votersArg() {
        return controllerPorts.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }

    String bootstrapServers() {
        return ports.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** SIGKILL of node 3. */
    void kill() throws InterruptedException {
        child.destroyForcibly();
        child.waitFor();
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("node 3 of the Kafka cluster did not listen on " + port + " within 120 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        child.destroyForcibly();
        // together: one after the other, the last would wait minutes for a quorum to approve its controlled shutdown
        CompletableFuture.allOf(inProcess.stream().map(b -> CompletableFuture.runAsync(b::close))
                .toArray(CompletableFuture[]::new)).join();
    }

    /** The voters argument ({@code id:port,...}) back as a map, for node 3's child JVM. */
    static Map<Integer, Integer> parseVoters(String arg) {
        Map<Integer, Integer> voters = new HashMap<>();
        for (String voter : arg.split(",")) {
            String[] parts = voter.split(":");
            voters.put(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
        return voters;
    }
}
