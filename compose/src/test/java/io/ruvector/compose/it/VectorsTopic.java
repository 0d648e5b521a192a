package io.ruvector.compose.it;

import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.serde.AvroUnionSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads a RuVector topic from the beginning with its own consumer (no group) and collects the
 * decoded records, so tests can wait for a condition instead of sleeping.
 */
final class VectorsTopic implements AutoCloseable {

    private final SchemaRegistry registry;
    private final KafkaConsumer<String, SpecificRecord> consumer;
    private final List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();

    VectorsTopic(String bootstrapServers, String topic) {
        registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(bootstrapServers));
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20),
                new StringDeserializer(),
                io.ruvector.index.topology.IndexTopology.valueSerde(registry).deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until the collected records satisfy the condition; fails after the timeout. */
    List<ConsumerRecord<String, SpecificRecord>> await(Predicate<List<ConsumerRecord<String, SpecificRecord>>> done,
                                                       Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(records)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; have "
                        + changes().size() + " changes: " + tail());
            }
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }

    List<VectorChange> changes() {
        return records.stream().map(ConsumerRecord::value).filter(VectorChange.class::isInstance)
                .map(VectorChange.class::cast).toList();
    }

    List<VectorChange> changes(String collection) {
        return changes().stream().filter(c -> c.getCollection().equals(collection)).toList();
    }

    List<DeadLetter> deadLetters() {
        return records.stream().map(ConsumerRecord::value).filter(DeadLetter.class::isInstance)
                .map(DeadLetter.class::cast).toList();
    }

    List<ConsumerRecord<String, SpecificRecord>> records() {
        return records;
    }

    private String tail() {
        List<VectorChange> all = changes();
        return all.subList(Math.max(0, all.size() - 5), all.size()).stream()
                .map(c -> c.getCollection() + "/" + c.getId() + " " + c.getOp() + (c.getSnapshot() ? " (snapshot)" : "") + " lsn " + c.getLsn())
                .toList().toString();
    }

    @Override
    public void close() throws Exception {
        consumer.close();
        registry.close();
    }
}
