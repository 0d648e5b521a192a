package io.ruvector.compose.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.cli.RuvectorCli;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.integrity.signing.EventVerifier;
import io.ruvector.integrity.signing.SigningKeys;
import io.ruvector.integrity.signing.Verification;
import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.serde.AvroSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The integrity surface over the real runtime (samples every second): a registered collection
 * gets evaluated and its state is served; policies are validated and applied; gates answer;
 * every event on the events topic verifies with the served public key and a flipped byte does
 * not; {@code audit verify} says so too.
 */
class IntegrityApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dataDir;
    static EmbeddedRuntime runtime;
    static String deployment = "it_" + TestPostgres.unique();
    static HttpClient client = HttpClient.newHttpClient();
    static int port;
    static String name = "ig" + TestPostgres.unique();

    @BeforeAll
    static void start() throws Exception {
        runtime = new EmbeddedRuntime(RuntimeConfig.of(dataDir, TestPostgres.SETTINGS).withBroker(BrokerConfig.ephemeral(dataDir))
                .withDeployment(deployment).withHttp(HttpSettings.loopback(0)).withSampleInterval(Duration.ofSeconds(1))).start();
        port = runtime.serveHttp(0).port();
        String table = "ig_" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(4))",
                "INSERT INTO " + table + " SELECT g, array_fill(g::real, ARRAY[4])::vector FROM generate_series(1, 50) g");
        runtime.register(new CollectionRequest(name, "public." + table, "id", "embedding", Metric.L2, null, List.of(), 0, 0, 0), 4);
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.close();
        TestPostgres.dropDeployment(deployment);
    }

    record Reply(int status, JsonNode body) {
    }

    static Reply call(String method, String path, String body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    static JsonNode awaitIntegrity(java.util.function.Predicate<JsonNode> done, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Reply last = null;
        while (System.nanoTime() < deadline) {
            last = call("GET", "/v1/collections/" + name + "/integrity", null);
            assertThat(last.status()).isEqualTo(200);
            if (done.test(last.body())) {
                return last.body();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("integrity never showed " + what + "; last " + last.body());
    }

    @Test
    void shouldEvaluateTheCollectionAndApplyAValidPolicyAndRefuseNonsense() throws Exception {
        JsonNode state = awaitIntegrity(b -> b.get("evaluated").asBoolean(), "an evaluation");
        assertThat(state.get("state").asText()).isIn("normal", "stress", "critical");
        assertThat(state.get("lambda").asDouble()).isBetween(0.0, 1.0);
        assertThat(state.get("node_count").asInt()).isPositive();

        Reply bad = call("PUT", "/v1/collections/" + name + "/integrity/policy", "{\"threshold_high\": 0.3, \"threshold_low\": 0.5}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("error").asText()).isEqualTo("invalid_policy");
        assertThat(bad.body().get("detail").asText()).contains("thresholdLow");
        assertThat(call("PUT", "/v1/collections/" + name + "/integrity/policy", "{\"samples_to_stress\": 0}").status()).isEqualTo(400);
        assertThat(call("PUT", "/v1/collections/" + name + "/integrity/policy", "{\"threshold_hi\": 0.9}").body().get("error").asText())
                .isEqualTo("unknown_field");
        assertThat(call("PUT", "/v1/collections/nope/integrity/policy", "{}").status()).isEqualTo(404);

        Reply ok = call("PUT", "/v1/collections/" + name + "/integrity/policy",
                "{\"threshold_high\": 0.85, \"threshold_low\": 0.25, \"cooldown_seconds\": 5}");
        assertThat(ok.status()).as("%s", ok.body()).isEqualTo(200);
        JsonNode applied = awaitIntegrity(b -> b.path("policy").path("threshold_high").asDouble() == 0.85, "the new policy");
        assertThat(applied.get("policy").get("threshold_low").asDouble()).isEqualTo(0.25);
        assertThat(applied.get("policy").get("cooldown_seconds").asLong()).isEqualTo(5);
        assertThat(applied.get("policy").get("source").asText()).isEqualTo("collection");
    }

    @Test
    void shouldAnswerTheGateForAnOperation() throws Exception {
        awaitIntegrity(b -> b.get("evaluated").asBoolean(), "an evaluation");
        Reply gate = call("GET", "/v1/collections/" + name + "/gate?op=bulk_insert", null);
        assertThat(gate.status()).isEqualTo(200);
        assertThat(gate.body().get("risk").asText()).isEqualTo("medium");
        assertThat(gate.body().get("decision").asText()).isIn("allow", "throttle", "defer", "reject");
        assertThat(call("GET", "/v1/collections/" + name + "/gate?op=rebuild", null).body().get("risk").asText()).isEqualTo("high");
        assertThat(call("GET", "/v1/collections/" + name + "/gate?op=search", null).body().get("risk").asText()).isEqualTo("low");
        Reply missing = call("GET", "/v1/collections/" + name + "/gate", null);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("error").asText()).isEqualTo("missing_parameter");
    }

    @Test
    void shouldSignEveryEventSoThatItVerifiesAndAFlippedByteDoesNot() throws Exception {
        awaitIntegrity(b -> b.get("evaluated").asBoolean(), "an evaluation");
        Reply key = call("GET", "/v1/audit/public-key", null);
        assertThat(key.status()).isEqualTo(200);
        assertThat(key.body().get("algorithm").asText()).isEqualTo("Ed25519");
        EventVerifier verifier = new EventVerifier(SigningKeys.publicKeyFromBase64(key.body().get("public_key").asText()));
        List<IntegrityEvent> events = events();
        assertThat(events).isNotEmpty();
        for (IntegrityEvent event : events) {
            assertThat(verifier.verify(event)).as("%s", event.getEventType()).isInstanceOf(Verification.Valid.class);
            assertThat(event.getSignerId()).isEqualTo(key.body().get("signer_id").asText());
        }
        IntegrityEvent tampered = IntegrityEvent.newBuilder(events.getFirst()).build();
        tampered.setLambda(tampered.getLambda() + 1e-9);
        assertThat(verifier.verify(tampered)).isInstanceOf(Verification.BadSignature.class);
        IntegrityEvent flipped = IntegrityEvent.newBuilder(events.getFirst()).build();
        byte[] signature = new byte[flipped.getSignature().remaining()];
        flipped.getSignature().duplicate().get(signature);
        signature[7] ^= 1;
        flipped.setSignature(ByteBuffer.wrap(signature));
        assertThat(verifier.verify(flipped)).isInstanceOf(Verification.BadSignature.class);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new RuvectorCli());
        cli.setOut(new java.io.PrintWriter(out, true));
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true));
        int code;
        try {
            code = cli.execute("audit", "verify", "--kafka", runtime.bootstrapServers(), "--http", "http://127.0.0.1:" + port);
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).as(out + " " + err).isZero();
        assertThat(out.toString()).containsPattern("ruvector.integrity.events: \\d+ records, \\d+ verified, 0 failed");
    }

    private static List<IntegrityEvent> events() throws Exception {
        String topic = runtime.config().topics().integrityEvents();
        List<IntegrityEvent> events = new ArrayList<>();
        try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(runtime.bootstrapServers()));
             KafkaConsumer<String, IntegrityEvent> consumer = new KafkaConsumer<>(
                     Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers()),
                     new StringDeserializer(), AvroSerde.forValues(registry, IntegrityEvent.class).deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                for (ConsumerRecord<String, IntegrityEvent> r : consumer.poll(Duration.ofMillis(500))) {
                    events.add(r.value());
                }
            }
        }
        return events;
    }
}
