package io.ruvector.compose.it;

import io.ruvector.integrity.signing.EventVerifier;
import io.ruvector.integrity.signing.SigningKeys;
import io.ruvector.integrity.signing.Verification;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.HealingOutcome;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.serde.AvroUnionSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the healing topics from the beginning (committed records only) and checks signatures. */
final class SignedRecords {

    private SignedRecords() {
    }

    static List<SpecificRecord> read(String bootstrap, String topic) {
        return read(bootstrap, topic, HEALING_RECORDS);
    }

    private static final List<Class<? extends SpecificRecord>> HEALING_RECORDS =
            List.of(RemediationCommand.class, CommandAck.class, HealingOutcome.class);

    /** Every record of {@code topic}, read with a deserializer that accepts {@code types}. */
    private static List<SpecificRecord> read(String bootstrap, String topic, List<Class<? extends SpecificRecord>> types) {
        List<SpecificRecord> out = new ArrayList<>();
        try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(bootstrap));
             KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                     AvroUnionSerde.forValues(registry, types).deserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }

    static <T extends SpecificRecord> List<T> read(String bootstrap, String topic, Class<T> type) {
        // the healing records and type: a topic may mix the healing records (an integrity topic holds samples)
        List<Class<? extends SpecificRecord>> types = new ArrayList<>(HEALING_RECORDS);
        if (!types.contains(type)) {
            types.add(type);
        }
        return read(bootstrap, topic, types).stream().filter(type::isInstance).map(type::cast).toList();
    }

    static boolean verifies(SpecificRecord record, String publicKeyBase64) {
        return new EventVerifier(SigningKeys.publicKeyFromBase64(publicKeyBase64)).verifyRecord(record)
                instanceof Verification.Valid;
    }
}
