package io.ruvector.compose.broker;

import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.registry.BundledSchemaRegistry;
import io.ruvector.schemas.registry.KafkaSchemaLog;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled schema ids recorded in {@code _ruvector_schemas} on the real in-process broker. */
class SchemaLogIT {

    @TempDir
    static Path dataDir;
    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = new EmbeddedKafkaBroker(BrokerConfig.ephemeral(dataDir)).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void shouldResolveAnIdRegisteredByAnotherProcessThroughTheCompactedTopic() throws Exception {
        String topic = "_schemas_it";
        Schema evolved = SchemaBuilder.record("Evolved").namespace("io.ruvector.test").fields()
                .requiredLong("lsn").optionalString("note").endRecord();
        try (KafkaSchemaLog writerLog = log(topic); KafkaSchemaLog readerLog = log(topic)) {
            BundledSchemaRegistry writer = new BundledSchemaRegistry(writerLog);
            BundledSchemaRegistry reader = new BundledSchemaRegistry(readerLog);
            int id = writer.register("t-value", evolved);
            assertThat(id).isEqualTo(BundledSchemaRegistry.fingerprintId(evolved));
            assertThat(reader.schemaById(id)).isEqualTo(evolved);
            assertThat(readerLog.readAll()).containsEntry(id, evolved);
            int watermarkId = writer.register("v-value", Watermark.getClassSchema());
            assertThat(reader.register("v-value", Watermark.getClassSchema())).isEqualTo(watermarkId);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            String policy = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            assertThat(policy).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    private static KafkaSchemaLog log(String topic) {
        return new KafkaSchemaLog(broker.bootstrapServers(), topic, (short) 1, Map.of(), Duration.ofSeconds(30));
    }
}
