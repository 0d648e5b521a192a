package io.ruvector.compose.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.integrity.signing.EventVerifier;
import io.ruvector.integrity.signing.SigningKeys;
import io.ruvector.integrity.signing.Verification;
import io.ruvector.schemas.HealingOutcome;
import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.serde.AvroUnionSerde;
import org.apache.avro.specific.SpecificRecord;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.topic.TopicNames;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./ruvector audit verify [TOPIC]}: checks the Ed25519 signature of every integrity event
 * on the topic against the deployment's public key (given, or fetched from the HTTP API).
 * Exit code 0 when every event verifies, 1 when any does not.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Verify the signatures of the signed records (integrity events, healing commands and outcomes): audit verify [TOPIC].")
final class AuditCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ACTION", description = "verify")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TOPIC", description = "default: ruvector.integrity.events, ruvector.healing.commands and ruvector.healing.outcomes")
    String topic;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092", description = "Kafka of the runtime; default ${DEFAULT-VALUE}")
    String kafka;

    @Option(names = "--public-key", paramLabel = "BASE64", description = "the signer's public key (X.509 DER, base64)")
    String publicKey;

    @Option(names = "--http", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "fetch the public key from this runtime's GET /v1/audit/public-key when --public-key is absent; default ${DEFAULT-VALUE}")
    String http;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!"verify".equals(action)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown audit action '" + action + "'; use: audit verify [TOPIC]");
        }
        return verify(System.out, System.err);
    }

    int verify(PrintStream out, PrintStream err) throws Exception {
        TopicNames topics = TopicNames.DEFAULT;
        List<String> names = topic != null ? List.of(topic)
                : List.of(topics.integrityEvents(), topics.healingCommands(), topics.healingOutcomes());
        PublicKey key = SigningKeys.publicKeyFromBase64(publicKey != null ? publicKey : fetchKey());
        EventVerifier verifier = new EventVerifier(key);
        long bad = 0;
        try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(kafka));
             KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(
                     Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                     new StringDeserializer(), AvroUnionSerde.forValues(registry, List.of(IntegrityEvent.class,
                             RemediationCommand.class, HealingOutcome.class)).deserializer())) {
            for (String name : names) {
                bad += verifyTopic(consumer, name, verifier, out, err);
            }
        }
        return bad == 0 ? 0 : 1;
    }

    /** Verifies every signed record of one topic; returns how many failed. */
    private static long verifyTopic(KafkaConsumer<String, SpecificRecord> consumer, String name, EventVerifier verifier,
                                    PrintStream out, PrintStream err) {
        long valid = 0;
        long bad = 0;
        List<TopicPartition> partitions = consumer.partitionsFor(name, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(name, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            for (ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(500))) {
                Verification result = verifier.verifyRecord(r.value());
                if (result instanceof Verification.Valid) {
                    valid++;
                } else {
                    bad++;
                    err.printf("%s-%d@%d %s: %s%n", name, r.partition(), r.offset(), r.value().getSchema().getName(), result);
                }
            }
        }
        out.printf("%s: %d records, %d verified, %d failed%n", name, valid + bad, valid, bad);
        return bad;
    }

    private String fetchKey() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(http + "/v1/audit/public-key"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot fetch the public key from " + http
                        + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return new ObjectMapper().readTree(response.body()).path("public_key").asText();
        } catch (java.net.ConnectException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot reach " + http
                    + " to fetch the public key; pass --public-key or --http");
        }
    }
}
