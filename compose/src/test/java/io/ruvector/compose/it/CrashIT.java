package io.ruvector.compose.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL of the runtime's JVM in the middle of a 20k-row load: after a restart the topic holds
 * every row of the table with its vector (duplicates allowed, none missing).
 */
class CrashIT {

    private static final int ROWS = 20_000;
    private static final int BATCH = 100;

    @TempDir
    Path dataDir;
    private final List<Process> children = new ArrayList<>();
    private final String deployment = "crash_" + TestPostgres.unique();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : children) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        TestPostgres.dropDeployment(deployment);
    }

    @Test
    void shouldHoldEveryRowAfterSigkillMidLoadWhenRestarted() throws Exception {
        String table = "crash_" + TestPostgres.unique();
        String collection = "k" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(16))");
        int kafkaPort = freePort();
        int controllerPort = freePort();
        String bootstrap = start(table, collection, kafkaPort, controllerPort);

        AtomicInteger loaded = new AtomicInteger();
        Thread loader = new Thread(() -> load(table, loaded), "loader");
        loader.start();
        try (VectorsTopic topic = new VectorsTopic(bootstrap, "ruvector.vectors")) {
            topic.await(r -> topic.changes(collection).size() >= 1_000, Duration.ofSeconds(120), "1000 changes before the kill");
        }
        Process first = children.getFirst();
        first.destroyForcibly(); // SIGKILL on Linux
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int loadedAtKill = loaded.get();
        System.out.printf("killed the runtime after %d of %d rows were committed%n", loadedAtKill, ROWS);
        Thread.sleep(1000); // rows keep being committed while the runtime is down

        bootstrap = start(table, collection, kafkaPort, controllerPort);
        loader.join(TimeUnit.MINUTES.toMillis(5));
        assertThat(loaded.get()).isEqualTo(ROWS);
        assertThat(loadedAtKill).as("the kill must land mid-load").isLessThan(ROWS);

        Map<String, String> expected = TableState.table(table);
        try (VectorsTopic topic = new VectorsTopic(bootstrap, "ruvector.vectors")) {
            topic.await(r -> TableState.replay(topic.changes(collection)).size() >= ROWS, Duration.ofSeconds(180),
                    ROWS + " distinct ids after the restart");
            assertThat(TableState.replay(topic.changes(collection))).isEqualTo(expected);
            System.out.printf("%d changes on the topic for %d rows (%d replayed duplicates)%n",
                    topic.changes(collection).size(), ROWS, topic.changes(collection).size() - ROWS);
        }
    }

    private String start(String table, String collection, int kafkaPort, int controllerPort) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), CaptureChild.class.getName(),
                dataDir.toString(), deployment, Integer.toString(kafkaPort), Integer.toString(controllerPort), table, collection)
                .redirectErrorStream(true);
        Process process = builder.start();
        children.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READY ")) {
                String bootstrap = line.substring(6).trim();
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "child-output");
                drain.setDaemon(true);
                drain.start();
                return bootstrap;
            }
            System.out.println("[child] " + line);
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        throw new AssertionError("child runtime did not become ready (exit " + (process.isAlive() ? "alive" : process.exitValue()) + ")");
    }

    private static void load(String table, AtomicInteger loaded) {
        try (Connection c = TestPostgres.connect(); Statement st = c.createStatement()) {
            for (int from = 1; from <= ROWS; from += BATCH) {
                int to = Math.min(ROWS, from + BATCH - 1);
                st.execute("INSERT INTO " + table + " SELECT g, (SELECT array_agg(((g * 31 + d) % 97)::real / 7) "
                        + "FROM generate_series(1, 16) d)::vector FROM generate_series(" + from + ", " + to + ") g");
                loaded.set(to);
                Thread.sleep(25);
            }
        } catch (Exception e) {
            throw new IllegalStateException("load failed", e);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
