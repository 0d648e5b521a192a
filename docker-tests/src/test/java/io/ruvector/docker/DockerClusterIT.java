package io.ruvector.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.cdc.engine.CaptureConfig;
import io.ruvector.cdc.engine.ConnectorConfig;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.Role;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.schemas.Metric;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cluster mode on real images, where a Docker engine exists ({@code mvn -Pdocker verify}):
 * PostgreSQL with pgvector, Kafka, and Debezium's Kafka Connect image with our converter jar in
 * the connector's plugin directory (as compose/deploy/docker-compose.yml mounts it); the
 * normaliser and an index instance run in this JVM against them. Rows written to the table are
 * searchable with pgvector's exact answer. Without an engine the class says so in one line and
 * is skipped (reported as skipped, never as passed); the in-process suite (ConnectClusterIT) is
 * the proof on machines without Docker.
 */
class DockerClusterIT {

    private static final int DIMS = 16;
    private static final String KAFKA_IN_NETWORK = "kafka:19092";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Network network;
    private static PostgreSQLContainer postgres;
    private static KafkaContainer kafka;
    private static GenericContainer<?> connect;

    @TempDir
    static Path dataDir;

    private static boolean engine;

    @BeforeAll
    static void containers() {
        engine = DockerClientFactory.instance().isDockerAvailable();
        if (!engine) {
            System.out.println("DockerClusterIT: no Docker engine here (Testcontainers found none): the -Pdocker cluster "
                    + "tests are SKIPPED, not run; ConnectClusterIT covers cluster mode in-process");
            return;
        }
        network = Network.newNetwork();
        postgres = new PostgreSQLContainer(DockerImageName.parse("pgvector/pgvector:0.8.0-pg15").asCompatibleSubstituteFor("postgres"))
                .withNetwork(network).withNetworkAliases("postgres")
                .withDatabaseName("ruvector").withUsername("ruvector").withPassword("ruvector")
                .withCommand("postgres", "-c", "wal_level=logical");
        kafka = new KafkaContainer(DockerImageName.parse("apache/kafka:4.3.1"))
                .withNetwork(network).withListener(KAFKA_IN_NETWORK);
        postgres.start();
        kafka.start();
        connect = new GenericContainer<>(DockerImageName.parse("quay.io/debezium/connect:3.6.3.Final"))
                .withNetwork(network)
                .withEnv(Map.of("BOOTSTRAP_SERVERS", KAFKA_IN_NETWORK, "GROUP_ID", "ruvector-connect",
                        "CONFIG_STORAGE_TOPIC", "connect-configs", "OFFSET_STORAGE_TOPIC", "connect-offsets",
                        "STATUS_STORAGE_TOPIC", "connect-status", "OFFSET_FLUSH_INTERVAL_MS", "1000"))
                .withCopyFileToContainer(MountableFile.forHostPath(pluginJar()),
                        "/kafka/connect/debezium-connector-postgres/ruvector-pgvector-converter.jar")
                .withExposedPorts(8083)
                .waitingFor(Wait.forHttp("/connectors").forPort(8083).withStartupTimeout(Duration.ofMinutes(3)));
        connect.start();
    }

    /** Every test is reported skipped, not passed, where no engine runs. */
    @BeforeEach
    void requireEngine() {
        Assumptions.assumeTrue(engine, "no Docker engine here");
    }

    @AfterAll
    static void stop() {
        Stream.of(connect, kafka, postgres).filter(c -> c != null).forEach(GenericContainer::stop);
        if (network != null) {
            network.close();
        }
    }

    @Test
    void rowsCapturedByConnectAreSearchableWithPgvectorsExactAnswer() throws Exception {
        PgConnectionSettings fromHere = PgConnectionSettings.parse(postgres.getJdbcUrl(), "ruvector", "ruvector");
        exec("CREATE EXTENSION IF NOT EXISTS vector",
                "CREATE TABLE items (id bigint PRIMARY KEY, embedding vector(" + DIMS + "))");
        String kafkaFromHere = kafka.getBootstrapServers();
        try (EmbeddedRuntime normaliser = new EmbeddedRuntime(RuntimeConfig.of(dataDir.resolve("n"), fromHere)
                .withKafka(kafkaFromHere).withRoles(Set.of(Role.NORMALISER))).start();
             EmbeddedRuntime index = new EmbeddedRuntime(RuntimeConfig.of(dataDir.resolve("i"), fromHere)
                     .withKafka(kafkaFromHere).withRoles(Set.of(Role.INDEX, Role.INTEGRITY, Role.HEALING))
                     .withHttp(HttpSettings.loopback(0))).start()) {
            normaliser.register(new CollectionRequest("items", "public.items", "id", "embedding", Metric.L2, null,
                    List.of(), 0, 0, 0), DIMS);
            // the connector reaches PostgreSQL inside the Docker network
            PgConnectionSettings inNetwork = PgConnectionSettings.parse("postgresql://ruvector:ruvector@postgres:5432/ruvector",
                    null, null);
            Map<String, Object> connector = ConnectorConfig.forConnect(CaptureConfig.of(inNetwork, KAFKA_IN_NETWORK, "default"),
                    List.of("public.items"), 1, 500);
            URI rest = URI.create("http://" + connect.getHost() + ":" + connect.getMappedPort(8083));
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(rest.resolve("/connectors"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(connector))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            exec("INSERT INTO items SELECT g, (SELECT array_agg(random()::real) FROM generate_series(1, " + DIMS
                    + ") d WHERE g > 0)::vector FROM generate_series(1, 2000) g", "DELETE FROM items WHERE id <= 100");
            String lsn = query("SELECT pg_current_wal_lsn()::text").getFirst();
            int port = index.serveHttp(0).port();
            SplittableRandom random = new SplittableRandom(5);
            for (int q = 0; q < 5; q++) {
                float[] vector = new float[DIMS];
                for (int i = 0; i < DIMS; i++) {
                    vector[i] = (float) random.nextDouble();
                }
                String literal = java.util.Arrays.toString(vector).replace(" ", "");
                List<String> expected = query("SELECT id::text FROM items ORDER BY embedding <-> '" + literal + "' LIMIT 10");
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/v1/collections/items/search")).POST(HttpRequest.BodyPublishers.ofString(
                                "{\"vector\": " + literal + ", \"k\": 10, \"exact\": true, \"min_lsn\": \"" + lsn
                                        + "\", \"timeout_ms\": 60000}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                List<String> ids = new ArrayList<>();
                JSON.readTree(answer.body()).get("results").forEach((JsonNode hit) -> ids.add(hit.get("id").asText()));
                assertThat(ids).as("query %d", q).isEqualTo(expected);
            }
        }
    }

    private static Path pluginJar() {
        try (Stream<Path> jars = Files.list(Path.of("..", "cdc-ingest", "target"))) {
            return jars.filter(p -> p.getFileName().toString().endsWith("-connect-plugin.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("build cdc-ingest first: its *-connect-plugin.jar is missing"));
        } catch (java.io.IOException e) {
            throw new AssertionError("build cdc-ingest first: " + e.getMessage(), e);
        }
    }

    private static void exec(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), "ruvector", "ruvector");
             Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private static List<String> query(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), "ruvector", "ruvector");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
