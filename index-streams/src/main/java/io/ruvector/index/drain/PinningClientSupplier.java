package io.ruvector.index.drain;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * The index application's Kafka clients: the usual ones, with each stream thread's main consumer
 * wrapped so that a {@link TaskPins#requestRebalance() requested} rebalance starts at its next poll.
 */
public final class PinningClientSupplier implements KafkaClientSupplier {

    private final TaskPins pins;

    public PinningClientSupplier(TaskPins pins) {
        this.pins = Objects.requireNonNull(pins, "pins");
    }

    @Override
    public org.apache.kafka.clients.admin.Admin getAdmin(Map<String, Object> config) {
        return org.apache.kafka.clients.admin.Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return new RebalanceRequestingConsumer(
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()), pins);
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
