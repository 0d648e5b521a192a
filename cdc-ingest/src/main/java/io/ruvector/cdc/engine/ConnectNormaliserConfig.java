package io.ruvector.cdc.engine;

import io.ruvector.schemas.topic.TopicNames;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the cluster-mode normaliser ({@link ConnectNormaliser}).
 *
 * @param deployment       the capture deployment: names the consumer group and the watermarks' source
 * @param bootstrapServers the Kafka cluster Connect writes to
 * @param topics           topic map; the CDC topics are {@code <cdcPrefix>.<schema>.<table>}
 * @param connector        the Debezium connector's name on Connect; default {@code ruvector-<deployment>},
 *                         what {@code ./ruvector connect-config} writes
 * @param offsetsTopic     the Connect worker's {@code offset.storage.topic}; default {@code connect-offsets}
 * @param pollInterval     longest wait for new records in one poll; default 100 ms
 */
public record ConnectNormaliserConfig(String deployment, String bootstrapServers, TopicNames topics, String connector,
                                      String offsetsTopic, Duration pollInterval) {

    public static final String DEFAULT_OFFSETS_TOPIC = "connect-offsets";

    public ConnectNormaliserConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        deployment = deployment == null ? "default" : deployment;
        topics = topics == null ? TopicNames.DEFAULT : topics;
        connector = connector == null ? connectorName(deployment) : connector;
        offsetsTopic = offsetsTopic == null ? DEFAULT_OFFSETS_TOPIC : offsetsTopic;
        if (connector.isBlank() || offsetsTopic.isBlank()) {
            throw new IllegalArgumentException("connector name and offsets topic must not be blank");
        }
        pollInterval = pollInterval == null ? Duration.ofMillis(100) : pollInterval;
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
        }
    }

    /** The connector name a deployment's capture uses, embedded or on Connect. */
    public static String connectorName(String deployment) {
        return "ruvector-" + deployment;
    }

    public String groupId() {
        return "ruvector-normaliser-" + deployment;
    }
}
