package io.ruvector.compose.it;

import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.Strategies;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.serde.AvroSerde;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes a {@code rebalance_partitions} command as the healing engine would (the capture's executor applies it). */
final class HandOffCommands {

    private HandOffCommands() {
    }

    /** Moves {@code fraction} of {@code from}'s buckets of {@code collection} to {@code to}; returns the command id. */
    static String send(EmbeddedRuntime runtime, String collection, int from, int to, double fraction) throws Exception {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        RemediationCommand command = RemediationCommand.newBuilder().setCommandId(id).setCollection(collection)
                .setStrategy(Strategies.REBALANCE_PARTITIONS).setAction(CommandAction.APPLY)
                .setParams(Map.of(Strategies.PARAM_FROM_PARTITION, Integer.toString(from),
                        Strategies.PARAM_TO_PARTITION, Integer.toString(to),
                        Strategies.PARAM_MOVE_FRACTION, Double.toString(fraction)))
                .setIssuedAtMillis(now).setExpiresAtMillis(now + 600_000).build();
        try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(runtime.bootstrapServers()));
             KafkaProducer<String, RemediationCommand> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers()), new StringSerializer(),
                     AvroSerde.forValues(registry, RemediationCommand.class))) {
            producer.send(new ProducerRecord<>(runtime.config().topics().healingCommands(), collection, command)).get();
        }
        return id;
    }
}
