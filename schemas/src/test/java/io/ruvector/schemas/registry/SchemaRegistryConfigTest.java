package io.ruvector.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaRegistryConfigTest {

    @Test
    void shouldFillDefaultsWhenOnlyBootstrapServersGiven() {
        SchemaRegistryConfig config = new SchemaRegistryConfig(" ", null, null, "localhost:9092", (short) 1, null, null);

        assertThat(config.registryUrl()).isNull();
        assertThat(config.usesRegistry()).isFalse();
        assertThat(config.bundledTopic()).isEqualTo("_ruvector_schemas");
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.clientProperties()).isEmpty();
    }

    @Test
    void shouldCollectEveryProblemWhenSeveralSettingsAreWrong() {
        assertThatThrownBy(() -> new SchemaRegistryConfig(null, "alice", "bad topic!", null, (short) 0, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap servers are required")
                .hasMessageContaining("basic auth is set but no schema registry url")
                .hasMessageContaining("'user:password'")
                .hasMessageContaining("'bad topic!' is not a legal Kafka topic name")
                .hasMessageContaining("replication factor must be at least 1, got 0");
    }

    @Test
    void shouldRejectUrlWhenNotAbsoluteHttp() {
        assertThatThrownBy(() -> SchemaRegistryConfig.confluent("registry:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'registry:8081' must be an absolute http(s) URL");
    }

    @Test
    void shouldMaskPasswordWhenPrinted() {
        SchemaRegistryConfig config = new SchemaRegistryConfig("https://r:8081", "alice:s3cret", null, null, (short) 1,
                Map.of("sasl.jaas.config", "secret"), null);

        assertThat(config.toString()).contains("alice:***").doesNotContain("s3cret").doesNotContain("secret");
    }

    @Test
    void shouldPickConfluentClientWhenUrlIsSet() {
        try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.confluent("http://r:8081"))) {
            assertThat(registry).isInstanceOf(ConfluentSchemaRegistryClient.class);
        }
    }

    @Test
    void shouldPickBundledRegistryWhenNoUrlIsSet() {
        try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled("localhost:1"))) {
            assertThat(registry).isInstanceOf(BundledSchemaRegistry.class);
            assertThat(registry.schemaById(BundledSchemaRegistry.fingerprintId(
                    io.ruvector.schemas.Watermark.getClassSchema())).getName()).isEqualTo("Watermark");
        }
    }
}
