package io.ruvector.compose.it;

import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.Strategies;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.topic.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes {@code rebalance_partitions} commands as the healing engine would (the capture's
 * executor applies them) and reads their acks, on a runtime using the default topic names.
 */
final class HandOffCommands {

    private HandOffCommands() {
    }

    /** Moves {@code fraction} of {@code from}'s buckets of {@code collection} to {@code to}; returns the command id. */
    static String send(EmbeddedRuntime runtime, String collection, int from, int to, double fraction) throws Exception {
        return move(runtime.bootstrapServers(), collection, from, to, fraction);
    }

    /** As {@link #send}, on the broker at {@code bootstrap}. */
    static String move(String bootstrap, String collection, int from, int to, double fraction) throws Exception {
        return publish(bootstrap, collection, CommandAction.APPLY, null, Map.of(
                Strategies.PARAM_FROM_PARTITION, Integer.toString(from), Strategies.PARAM_TO_PARTITION, Integer.toString(to),
                Strategies.PARAM_MOVE_FRACTION, Double.toString(fraction)));
    }

    /** Rolls back the move {@code of}; returns the rollback's command id. */
    static String rollback(String bootstrap, String collection, String of) throws Exception {
        return publish(bootstrap, collection, CommandAction.ROLLBACK, of, Map.of());
    }

    /** The status of command {@code commandId}'s ack, waiting up to 60 s; null when none came. */
    static AckStatus awaitAck(String bootstrap, String commandId) {
        String topic = TopicNames.DEFAULT.healingAcks();
        try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(bootstrap));
             KafkaConsumer<String, CommandAck> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(),
                     AvroSerde.forValues(registry, CommandAck.class))) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, CommandAck> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && r.value().getCommandId().equals(commandId)) {
                        System.out.println("ack of " + commandId + ": " + r.value().getStatus() + " " + r.value().getDetail());
                        return r.value().getStatus();
                    }
                }
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the acks topic", e);
        }
    }

    private static String publish(String bootstrap, String collection, CommandAction action, String rollbackOf,
                                  Map<String, String> params) throws Exception {
        return publish(bootstrap, collection, Strategies.REBALANCE_PARTITIONS, action, rollbackOf, params);
    }

    /** Publishes a {@code drain_hot_partition} of {@code partition} (the index executors apply it); returns its id. */
    static String drain(String bootstrap, String collection, int partition) throws Exception {
        return publish(bootstrap, collection, Strategies.DRAIN_HOT_PARTITION, CommandAction.APPLY, null,
                Map.of(Strategies.PARAM_FROM_PARTITION, Integer.toString(partition)));
    }

    /** Rolls back the drain {@code of}; returns the rollback's command id. */
    static String rollbackDrain(String bootstrap, String collection, String of) throws Exception {
        return publish(bootstrap, collection, Strategies.DRAIN_HOT_PARTITION, CommandAction.ROLLBACK, of, Map.of());
    }

    private static String publish(String bootstrap, String collection, String strategy, CommandAction action,
                                  String rollbackOf, Map<String, String> params) throws Exception {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        RemediationCommand command = RemediationCommand.newBuilder().setCommandId(id).setCollection(collection)
                .setStrategy(strategy).setAction(action).setRollbackOf(rollbackOf).setParams(params)
                .setIssuedAtMillis(now).setExpiresAtMillis(now + 600_000).build();
        try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(bootstrap));
             KafkaProducer<String, RemediationCommand> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                     AvroSerde.forValues(registry, RemediationCommand.class))) {
            producer.send(new ProducerRecord<>(TopicNames.DEFAULT.healingCommands(), collection, command)).get();
        }
        return id;
    }
}
