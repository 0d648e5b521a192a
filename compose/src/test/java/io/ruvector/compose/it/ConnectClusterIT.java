package io.ruvector.compose.it;

import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.cdc.engine.CaptureConfig;
import io.ruvector.cdc.engine.ConnectorConfig;
import io.ruvector.compose.bench.ConnectWorker;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.ConnectSource;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.Replication;
import io.ruvector.compose.runtime.Role;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.topic.TopicNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cluster mode on loopback with production classes: a 3-node KRaft cluster (replication 3, min
 * ISR 2), Debezium's PostgreSQL connector on a Kafka Connect distributed worker (Kafka's own
 * connect-runtime, our converter), a separate normaliser role, and two index instances. The same table is captured at the same time by the
 * embedded capture (its own broker): both must publish the same changes — inserts, metadata-only
 * updates of TOASTed vectors, vector updates, deletes, vectors set to NULL, dead letters — and
 * exact searches on either index instance equal pgvector's. Then, in the middle of a write load, a
 * broker is killed with SIGKILL and the Connect worker is stopped and started again: searches keep
 * answering, Connect resumes from its offsets, and the index equals the table (no change lost).
 */
class ConnectClusterIT {

    private static final int DIMS = 600; // 2.4 KB per vector: stored out of line (TOAST)
    private static final int ROWS = 300;
    /**
     * Other topic names than the embedded reference's: Debezium names its JMX beans after the topic
     * prefix, and two connectors of one prefix in one JVM wait a minute for each other's beans.
     */
    private static final TopicNames CLUSTER_TOPICS = new TopicNames("rvc");

    @TempDir
    Path dir;

    private final String embeddedDeployment = "it_" + TestPostgres.unique();
    private final String clusterDeployment = "it_" + TestPostgres.unique();
    private final String table = "connect_" + TestPostgres.unique();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        TestPostgres.dropDeployment(embeddedDeployment);
        TestPostgres.dropDeployment(clusterDeployment);
    }

    @Test
    void connectAndNormaliserPublishWhatTheEmbeddedCapturePublishesAndResumeAfterARestart() throws Exception {
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, tag text, embedding vector)");
        CollectionRequest request = new CollectionRequest("connected", "public." + table, "id", "embedding", Metric.L2,
                null, List.of("tag"), 0, 0, 0);

        // the reference: the embedded capture on its own broker
        EmbeddedRuntime embedded = track(new EmbeddedRuntime(RuntimeConfig.of(dir.resolve("embedded"), TestPostgres.SETTINGS)
                .withBroker(BrokerConfig.ephemeral(dir.resolve("embedded"))).withDeployment(embeddedDeployment)
                .withCaptureOnly(true)).start());
        embedded.register(request, DIMS);

        // the cluster: three brokers, a normaliser, two index instances, Connect
        KafkaCluster brokers = track(new KafkaCluster(dir.resolve("kafka")));
        String kafka = brokers.bootstrapServers();
        // every role in a process of its own: normaliser; two index instances; integrity + healing
        EmbeddedRuntime normaliser = track(new EmbeddedRuntime(clusterConfig("normaliser", kafka)
                .withRoles(Set.of(Role.NORMALISER)).withConnect(new ConnectSource(ConnectWorker.OFFSETS_TOPIC, null))
                .withHttp(HttpSettings.loopback(0))).start());
        EmbeddedRuntime indexA = track(new EmbeddedRuntime(clusterConfig("index-a", kafka)
                .withRoles(Set.of(Role.INDEX)).withHttp(HttpSettings.loopback(0))).start());
        EmbeddedRuntime indexB = track(new EmbeddedRuntime(clusterConfig("index-b", kafka)
                .withRoles(Set.of(Role.INDEX)).withHttp(HttpSettings.loopback(0))).start());
        track(new EmbeddedRuntime(clusterConfig("integrity", kafka).withRoles(Set.of(Role.INTEGRITY, Role.HEALING))).start());
        normaliser.register(request, DIMS);
        assertThat(normaliser.capture().awaitCapturing("public." + table, Duration.ofSeconds(30))).isTrue();
        ConnectWorker connect = track(new ConnectWorker(kafka, "it-connect-" + clusterDeployment, 3));
        Map<String, Object> connector = ConnectorConfig.forConnect(new CaptureConfig(clusterDeployment, TestPostgres.SETTINGS,
                kafka, CLUSTER_TOPICS, null, 0, 0, null, null, null, null), List.of("public." + table), 3, 200);
        connect.put(connector);
        assertThat(embedded.capture().awaitCapturing("public." + table, Duration.ofSeconds(60))).isTrue();

        // every kind of change
        TestPostgres.exec(
                "INSERT INTO " + table + " SELECT g, 'tag' || (g % 7), (SELECT array_agg(random()::real) FROM generate_series(1, "
                        + DIMS + ") d WHERE g > 0)::vector FROM generate_series(1, " + ROWS + ") g",
                "UPDATE " + table + " SET tag = 'renamed' WHERE id <= 20", // the vector is an unchanged TOASTed value
                "UPDATE " + table + " SET embedding = (SELECT array_agg(random()::real) FROM generate_series(1, " + DIMS
                        + ") d WHERE id > 0)::vector WHERE id BETWEEN 21 AND 40",
                "DELETE FROM " + table + " WHERE id BETWEEN 41 AND 70",
                "UPDATE " + table + " SET embedding = NULL WHERE id BETWEEN 71 AND 75",
                "INSERT INTO " + table + " VALUES (9001, 'short', '[1,2,3]'), (9002, 'short', '[4,5,6]')");
        long expectedChanges = ROWS + 20 + 20 + 30 + 5;

        List<VectorChange> reference;
        List<DeadLetter> referenceLetters;
        List<VectorChange> clustered;
        List<DeadLetter> clusteredLetters;
        TopicNames topics = TopicNames.DEFAULT;
        try (VectorsTopic fromEmbedded = new VectorsTopic(embedded.bootstrapServers(), topics.vectors());
             VectorsTopic fromConnect = new VectorsTopic(kafka, CLUSTER_TOPICS.vectors());
             VectorsTopic lettersEmbedded = new VectorsTopic(embedded.bootstrapServers(), topics.vectorsDeadLetters());
             VectorsTopic lettersConnect = new VectorsTopic(kafka, CLUSTER_TOPICS.vectorsDeadLetters())) {
            fromEmbedded.await(r -> fromEmbedded.changes("connected").size() >= expectedChanges, Duration.ofSeconds(90),
                    "the embedded capture's changes");
            fromConnect.await(r -> fromConnect.changes("connected").size() >= expectedChanges, Duration.ofSeconds(90),
                    "the normaliser's changes");
            lettersEmbedded.await(r -> lettersEmbedded.deadLetters().size() >= 2, Duration.ofSeconds(30), "embedded dead letters");
            lettersConnect.await(r -> lettersConnect.deadLetters().size() >= 2, Duration.ofSeconds(30), "normaliser dead letters");
            reference = fromEmbedded.changes("connected");
            clustered = fromConnect.changes("connected");
            referenceLetters = lettersEmbedded.deadLetters();
            clusteredLetters = lettersConnect.deadLetters();
        }
        assertThat(byId(clustered)).as("the normaliser's changes, id by id").isEqualTo(byId(reference));
        assertThat(clustered.stream().filter(c -> c.getOp().name().equals("METADATA")).count())
                .as("metadata-only updates of TOASTed vectors").isEqualTo(20);
        assertThat(letters(clusteredLetters)).as("dead letters").isEqualTo(letters(referenceLetters)).hasSize(2);

        TestPostgres.exec("DELETE FROM " + table + " WHERE id > 9000"); // pgvector cannot rank other dimensions

        int portA = indexA.serveHttp(0).port();
        int portB = indexB.serveHttp(0).port();
        assertSearchesEqualPgvector(portA, portB, 5, 1);

        // a call for a part a process does not run names it, never a 500
        HttpResponse<String> noIndex = SearchCalls.exactTop10(client, normaliser.serveHttp(0).port(), "connected",
                new float[DIMS], "0/0");
        assertThat(noIndex.statusCode()).as(noIndex.body()).isEqualTo(404);
        assertThat(noIndex.body()).contains("index_not_here").contains("normaliser");
        HttpResponse<String> noCapture = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://127.0.0.1:" + portA + "/v1/collections")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"name\": \"other\", \"table\": \"public." + table + "\", \"id_column\": \"id\", \"vector_column\": \"embedding\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noCapture.statusCode()).as(noCapture.body()).isEqualTo(409);
        assertThat(noCapture.body()).contains("capture_elsewhere");
        // the integrity process evaluates the collection from the index instances' samples; any process serves its state
        awaitEvaluated(portA, Duration.ofSeconds(60));

        // In the middle of a write load a broker is killed (SIGKILL), then Connect is stopped and started again.
        // Searches keep answering throughout.
        Thread writer = Thread.ofPlatform().start(() -> write(10_001, 1_500));
        Searching searching = new Searching(portA, portB);
        Thread searcher = Thread.ofPlatform().start(searching);
        Thread.sleep(1_000);
        long atKill = written();
        brokers.kill();
        Thread.sleep(2_000);
        long atConnectStop = written();
        connect.close();
        connect = track(new ConnectWorker(kafka, "it-connect-" + clusterDeployment, 3));
        connect.awaitRunning((String) connector.get("name"), Duration.ofSeconds(90));
        writer.join();
        searching.stop();
        searcher.join();
        System.out.printf("ConnectClusterIT: broker 3 killed after %d of 1500 load rows, Connect stopped after %d; %d searches "
                + "answered during the load, %d failed%n", atKill, atConnectStop, searching.answered, searching.failures);
        assertThat(atConnectStop).as("Connect stopped in the middle of the load").isLessThan(1_500);
        assertThat(searching.failures).as("searches that failed while a broker was lost: %s", searching.lastFailure).isZero();
        assertThat(searching.answered).as("searches answered during the load").isGreaterThan(10);
        TestPostgres.exec("DELETE FROM " + table + " WHERE id BETWEEN 10001 AND 10100");
        awaitIndexEqualsTable(indexA, Duration.ofSeconds(120));
        assertSearchesEqualPgvector(portA, portB, 5, 2);
    }

    private void awaitEvaluated(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> state = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + port + "/v1/collections/connected/integrity")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            last = state.body();
            if (state.statusCode() == 200 && new com.fasterxml.jackson.databind.ObjectMapper().readTree(last).path("evaluated").asBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the integrity role did not evaluate the collection within " + timeout + ": " + last);
    }

    private RuntimeConfig clusterConfig(String name, String kafka) {
        return RuntimeConfig.of(dir.resolve(name), TestPostgres.SETTINGS).withDeployment(clusterDeployment)
                .withKafka(kafka).withVectorPartitions(4).withTopics(CLUSTER_TOPICS).withReplication(new Replication((short) 3, 2))
                .withSampleInterval(Duration.ofSeconds(1)); // integrity samples every second, for the test
    }

    /** Exact searches on both index instances, alternating, until stopped; counts the answers that were not 200. */
    private final class Searching implements Runnable {
        private final int[] ports;
        private volatile boolean running = true;
        private volatile int answered;
        private volatile int failures;
        private volatile String lastFailure = "none";

        Searching(int... ports) {
            this.ports = ports;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            SplittableRandom random = new SplittableRandom(3);
            while (running) {
                try {
                    HttpResponse<String> answer = SearchCalls.exactTop10(client, ports[answered % ports.length], "connected",
                            SearchCalls.randomVector(random, DIMS), "0/0");
                    if (answer.statusCode() == 200 && SearchCalls.ids(answer).size() == 10) {
                        answered++;
                    } else {
                        failures++;
                        lastFailure = answer.statusCode() + " " + answer.body();
                    }
                } catch (Exception e) {
                    failures++;
                    lastFailure = e.toString();
                }
            }
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        started.add(closeable);
        return closeable;
    }

    private long written() throws Exception {
        return ((Number) TestPostgres.query("SELECT count(*) FROM " + table + " WHERE id > 10000").getFirst().getFirst()).longValue();
    }

    /** Rows written in transactions of 25, each with a random vector. */
    private void write(int firstId, int rows) {
        SplittableRandom random = new SplittableRandom(firstId);
        try {
            for (int id = firstId; id < firstId + rows; id += 25) {
                StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
                for (int i = 0; i < 25; i++) {
                    sql.append(i == 0 ? "" : ",").append("(").append(id + i).append(", 'load', '")
                            .append(Floats.text(SearchCalls.randomVector(random, DIMS))).append("')");
                }
                TestPostgres.exec(sql.toString());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertSearchesEqualPgvector(int portA, int portB, int queries, long seed) throws Exception {
        String lsn = (String) TestPostgres.query("SELECT pg_current_wal_lsn()::text").getFirst().getFirst();
        SplittableRandom random = new SplittableRandom(seed);
        for (int q = 0; q < queries; q++) {
            float[] query = SearchCalls.randomVector(random, DIMS);
            List<String> expected = SearchCalls.pgvectorTop(table, query, 10);
            for (int port : new int[] {portA, portB}) {
                HttpResponse<String> answer = SearchCalls.exactTop10(client, port, "connected", query, lsn);
                assertThat(answer.statusCode()).as("search on port %d: %s", port, answer.body()).isEqualTo(200);
                assertThat(SearchCalls.ids(answer)).as("query %d on port %d", q, port).isEqualTo(expected);
            }
        }
    }

    /** Waits until the index holds exactly the table's searchable ids. */
    private void awaitIndexEqualsTable(EmbeddedRuntime index, Duration timeout) throws Exception {
        Set<Long> expected = TestPostgres.query("SELECT id FROM " + table + " WHERE embedding IS NOT NULL AND vector_dims(embedding) = "
                + DIMS).stream().map(r -> ((Number) r.getFirst()).longValue()).collect(Collectors.toCollection(TreeSet::new));
        long deadline = System.nanoTime() + timeout.toNanos();
        long live = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> stats = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + index.serveHttp(0).port() + "/v1/collections/connected/stats")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            live = stats.statusCode() == 200 ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(stats.body())
                    .path("count").asLong(-1) : -1;
            if (live == expected.size()) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(live).as("rows in the index").isEqualTo(expected.size());
        for (long id : List.of(1L, 45L, 73L, 10_001L, 10_050L, 11_499L, 10_101L)) {
            HttpResponse<String> get = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + index.serveHttp(0).port() + "/v1/collections/connected/vectors/" + id)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).as("lookup of id %d", id).isEqualTo(expected.contains(id) ? 200 : 404);
        }
    }

    /** Every change's content per id, in order; the partition-map epoch (each runtime's own) left out. */
    private static Map<String, List<String>> byId(List<VectorChange> changes) {
        Map<String, List<String>> out = new TreeMap<>();
        changes.stream().sorted(Comparator.comparingLong(VectorChange::getLsn)).forEach(c -> {
            VectorChange copy = VectorChange.newBuilder(c).setPartitionMapEpoch(0).build();
            out.computeIfAbsent(c.getId(), id -> new ArrayList<>()).add(copy.toString());
        });
        return out;
    }

    private static List<String> letters(List<DeadLetter> letters) {
        return letters.stream().map(l -> l.getId() + " " + l.getOp() + " " + l.getReason() + " " + l.getLsn() + " " + l.getPayload())
                .sorted().toList();
    }
}
