package io.ruvector.compose.runtime;

import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.schemas.topic.TopicNames;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the single-JVM runtime: embedded broker, capture and (later) index and HTTP.
 *
 * @param dataDir          broker log and state directories; kept between runs
 * @param postgres         the PostgreSQL with pgvector to capture from
 * @param broker           embedded broker ports
 * @param deployment       capture deployment name (slot {@code ruvector_<deployment>})
 * @param vectorPartitions partitions of the vectors topic (fixed once the topic exists)
 * @param topics           topic prefix
 * @param schemaRegistryUrl optional Confluent Schema Registry; null uses the bundled ids
 * @param captureOnly       run broker and capture without the index (the index runs elsewhere)
 */
public record RuntimeConfig(Path dataDir, PgConnectionSettings postgres, BrokerConfig broker, String deployment,
                            int vectorPartitions, TopicNames topics, String schemaRegistryUrl, boolean captureOnly) {

    public RuntimeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(postgres, "postgres");
        broker = broker == null ? BrokerConfig.at(dataDir) : broker;
        deployment = deployment == null ? "default" : deployment;
        vectorPartitions = vectorPartitions == 0 ? 8 : vectorPartitions;
        if (vectorPartitions < 1 || vectorPartitions > 1024) {
            throw new IllegalArgumentException("vector partitions must be in [1, 1024], got " + vectorPartitions);
        }
        topics = topics == null ? TopicNames.DEFAULT : topics;
    }

    public static RuntimeConfig of(Path dataDir, PgConnectionSettings postgres) {
        return new RuntimeConfig(dataDir, postgres, null, null, 0, null, null, false);
    }

    public RuntimeConfig withBroker(BrokerConfig broker) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl, captureOnly);
    }

    public RuntimeConfig withCaptureOnly(boolean captureOnly) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl, captureOnly);
    }

    public RuntimeConfig withDeployment(String deployment) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl, captureOnly);
    }
}
