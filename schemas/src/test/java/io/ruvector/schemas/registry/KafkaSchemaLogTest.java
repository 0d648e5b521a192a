package io.ruvector.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The log's read/write logic against Kafka's mock clients (the broker round trip is compose's job). */
class KafkaSchemaLogTest {

    private static final String TOPIC = KafkaSchemaLog.DEFAULT_TOPIC;
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final MockProducer<String, String> producer =
            new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    private final AtomicInteger topicCreations = new AtomicInteger();
    private final KafkaSchemaLog log = new KafkaSchemaLog(TOPIC, topicCreations::incrementAndGet, () -> producer,
            this::consumerOverProducedRecords, Duration.ofSeconds(5));

    private MockConsumer<String, String> consumerOverProducedRecords() {
        MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node})));
        List<ProducerRecord<String, String>> written = producer.history();
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.updateEndOffsets(Map.of(PARTITION, (long) written.size()));
        consumer.schedulePollTask(() -> {
            for (int offset = 0; offset < written.size(); offset++) {
                ProducerRecord<String, String> r = written.get(offset);
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, r.key(), r.value()));
            }
        });
        return consumer;
    }

    @Test
    void shouldWriteIdAsDecimalKeyAndSchemaJsonAsValueWhenRecording() {
        log.record(1234, Watermark.getClassSchema());

        assertThat(producer.history()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo(TOPIC);
            assertThat(r.key()).isEqualTo("1234");
            assertThat(r.value()).isEqualTo(Watermark.getClassSchema().toString());
        });
    }

    @Test
    void shouldReadBackEveryRecordedSchemaWhenReadingFromBeginning() {
        log.record(1, Watermark.getClassSchema());
        log.record(2, VectorChange.getClassSchema());
        log.record(1, Watermark.getClassSchema());

        Map<Integer, org.apache.avro.Schema> all = log.readAll();

        assertThat(all).containsOnlyKeys(1, 2);
        assertThat(all.get(2)).isEqualTo(VectorChange.getClassSchema());
        assertThat(topicCreations).hasValue(1);
    }

    @Test
    void shouldReturnEmptyWhenTopicIsEmpty() {
        assertThat(log.readAll()).isEmpty();
    }

    @Test
    void shouldNameOffsetWhenKeyIsNotAnId() {
        producer.send(new ProducerRecord<>(TOPIC, "not-a-number", "{}"));

        assertThatThrownBy(log::readAll)
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("offset 0").hasMessageContaining("'not-a-number'");
    }
}
