package io.ruvector.compose.runtime;

import io.ruvector.cdc.engine.ConnectNormaliserConfig;

/**
 * Where the normaliser role finds Debezium on Kafka Connect.
 *
 * @param offsetsTopic the Connect worker's {@code offset.storage.topic}
 * @param connector    the connector's name; null = {@code ruvector-<deployment>}, as {@code connect-config} names it
 */
public record ConnectSource(String offsetsTopic, String connector) {

    public static final ConnectSource DEFAULT = new ConnectSource(ConnectNormaliserConfig.DEFAULT_OFFSETS_TOPIC, null);

    public ConnectSource {
        offsetsTopic = offsetsTopic == null ? ConnectNormaliserConfig.DEFAULT_OFFSETS_TOPIC : offsetsTopic;
        if (offsetsTopic.isBlank() || connector != null && connector.isBlank()) {
            throw new IllegalArgumentException("the Connect offsets topic and connector name must not be blank");
        }
    }
}
