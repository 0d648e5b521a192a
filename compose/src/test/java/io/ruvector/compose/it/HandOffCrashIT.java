package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.index.handoff.HandOffCoordinator;
import io.ruvector.index.query.CollectionStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime (broker included) killed at each step of a bucket hand-off, while a writer inserts,
 * updates and deletes: after the new epoch is recorded but before any row is sent, halfway through
 * the copy, and after the new owner confirmed but before the old one forgot. The kill is a
 * failpoint that halts the JVM at that step ({@link HandOffCoordinator#FAILPOINT_PROPERTY}: no
 * shutdown hook, nothing flushed, as SIGKILL). After each restart the hand-off completes by itself
 * and the index equals the table: every id once, with its exact vector.
 */
class HandOffCrashIT {

    private static final int ROWS = 12_000;
    private static final int DIMS = 8;

    @TempDir
    Path dataDir;
    private final String deployment = "hoc_" + TestPostgres.unique();
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : children) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        TestPostgres.dropDeployment(deployment);
    }

    @Test
    void shouldCompleteTheHandOffAndMatchTheTableAfterAKillAtEachStep() throws Exception {
        String table = "hoc_" + TestPostgres.unique();
        String collection = "hoc" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(" + DIMS + ") NOT NULL)",
                "INSERT INTO " + table + " SELECT g, (SELECT array_agg(random()::real) FROM generate_series(1, " + DIMS
                        + ") d WHERE g > 0)::vector FROM generate_series(1, " + ROWS + ") g");
        int kafkaPort = freePort();
        int controllerPort = freePort();
        String[][] rounds = {{"after-epoch", "0", "1"}, {"mid-copy", "0", "2"}, {"before-forget", "1", "3"}};
        long nextId = ROWS + 1;
        for (int round = 0; round < rounds.length; round++) {
            String step = rounds[round][0];
            String bootstrap = startChild(step, table, collection, kafkaPort, controllerPort, round == 0);
            AtomicBoolean writing = new AtomicBoolean(true);
            long firstId = nextId;
            int seed = round;
            Thread writer = Thread.ofPlatform().name("hoc-writer").start(() -> write(table, firstId, writing, seed));
            Thread.sleep(1_000);
            HandOffCommands.move(bootstrap, collection, Integer.parseInt(rounds[round][1]),
                    Integer.parseInt(rounds[round][2]), 0.5);
            Process child = children.getLast();
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("failpoint %s reached within 90 s", step).isTrue();
            assertThat(child.exitValue()).as("halted at %s", step).isEqualTo(137);
            Thread.sleep(500); // the writer goes on while the runtime is down
            writing.set(false);
            writer.join();
            nextId += 1_000_000;

            try (EmbeddedRuntime runtime = new EmbeddedRuntime(HandOffChild.config(dataDir, deployment, kafkaPort,
                    controllerPort)).start()) {
                long lsn = ((Number) TestPostgres.query("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn").getFirst()
                        .getFirst()).longValue();
                runtime.index().awaitWatermark(lsn, Duration.ofSeconds(120));
                Map<String, String> expected = TableState.table(table);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (liveRows(runtime, collection) != expected.size()) {
                    assertThat(System.nanoTime()).as("after the kill at %s the index settles at %d rows (has %d)", step,
                            expected.size(), liveRows(runtime, collection)).isLessThan(deadline);
                    Thread.sleep(200);
                }
                assertThat(IndexRows.of(runtime, collection, expected.keySet())).as("after %s: index == table", step)
                        .isEqualTo(expected);
                System.out.printf("HandOffCrashIT: killed at %s, restarted: index == table (%d rows, each once)%n", step,
                        expected.size());
            }
        }
    }

    /** Inserts (ids from {@code firstId}), vector updates and deletes of existing rows until told to stop. */
    private static void write(String table, long firstId, AtomicBoolean writing, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long next = firstId;
        try (Connection c = TestPostgres.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?::vector)");
             PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET embedding = ?::vector WHERE id = ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            while (writing.get()) {
                switch (random.nextInt(3)) {
                    case 0 -> {
                        insert.setLong(1, next++);
                        insert.setString(2, Floats.text(Floats.random(random, DIMS)));
                        insert.executeUpdate();
                    }
                    case 1 -> {
                        update.setString(1, Floats.text(Floats.random(random, DIMS)));
                        update.setLong(2, 1 + random.nextLong(ROWS));
                        update.executeUpdate();
                    }
                    default -> {
                        delete.setLong(1, 1 + random.nextLong(ROWS));
                        delete.executeUpdate();
                    }
                }
                Thread.sleep(2);
            }
        } catch (Exception e) {
            throw new IllegalStateException("writer failed", e);
        }
    }

    private static long liveRows(EmbeddedRuntime runtime, String collection) {
        return runtime.index().stats(collection).values().stream().mapToLong(CollectionStats::liveRows).sum();
    }

    private String startChild(String failpoint, String table, String collection, int kafkaPort, int controllerPort,
                              boolean register) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xmx1g",
                "-D" + HandOffCoordinator.FAILPOINT_PROPERTY + "=" + failpoint,
                "-cp", System.getProperty("java.class.path"), HandOffChild.class.getName(),
                dataDir.toString(), deployment, Integer.toString(kafkaPort), Integer.toString(controllerPort), table,
                collection, Boolean.toString(register)).redirectErrorStream(true).start();
        children.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("READY ")) {
                Thread drain = new Thread(() -> out.lines().filter(l -> l.contains("failpoint") || l.contains("handed"))
                        .forEach(l -> System.out.println("[child] " + l)), "child-output");
                drain.setDaemon(true);
                drain.start();
                return line.substring(6).trim();
            }
            System.out.println("[child] " + line);
        }
        throw new AssertionError("child runtime did not become ready (exit " + (process.isAlive() ? "alive"
                : process.exitValue()) + ")");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
