package io.ruvector.cdc.engine;

import io.ruvector.cdc.normalise.ChangeNormaliser;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The Debezium PostgreSQL connector configuration a user posts to their Kafka Connect cluster:
 * the embedded capture's settings ({@link DebeziumProperties}, one source for both) minus what
 * belongs to the embedded engine (offset storage, in-process signals), plus Connect's converters,
 * the watermark heartbeat and topic creation. {@link ConnectNormaliser} reads what it produces.
 */
public final class ConnectorConfig {

    /** Keys only the embedded engine reads; on Connect they are the worker's business. */
    private static final List<String> EMBEDDED_ONLY = List.of("offset.storage", "offset.storage.topic",
            "offset.storage.partitions", "offset.storage.replication.factor", "offset.flush.interval.ms",
            "bootstrap.servers", "signal.enabled.channels", "record.processing.order", "name");
    private static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

    private ConnectorConfig() {
    }

    /**
     * @param tables            schema-qualified tables of the deployment's collections
     * @param replicationFactor replication factor of the CDC topics Connect creates (-1 = the brokers' default)
     * @param heartbeatMillis   how often the connector writes a watermark message into the WAL, so that
     *                          watermarks advance while the captured tables are idle
     * @return connector name and configuration, in the shape of Connect's {@code POST /connectors}
     */
    public static Map<String, Object> forConnect(CaptureConfig config, Collection<String> tables, int replicationFactor,
                                                 long heartbeatMillis) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("a connector needs at least one table (--table SCHEMA.TABLE)");
        }
        if (replicationFactor == 0 || replicationFactor < -1) {
            throw new IllegalArgumentException("replication factor must be -1 (the brokers' default) or >= 1, got "
                    + replicationFactor);
        }
        if (heartbeatMillis <= 0) {
            throw new IllegalArgumentException("heartbeat interval must be positive, got " + heartbeatMillis + " ms");
        }
        Properties embedded = DebeziumProperties.of(config, tables);
        Map<String, String> connector = new TreeMap<>();
        embedded.stringPropertyNames().forEach(k -> connector.put(k, embedded.getProperty(k)));
        EMBEDDED_ONLY.forEach(connector::remove);
        connector.put("key.converter", JSON_CONVERTER);
        connector.put("key.converter.schemas.enable", "true");
        connector.put("value.converter", JSON_CONVERTER);
        connector.put("value.converter.schemas.enable", "true");
        // The embedded runtime writes these messages itself (WatermarkEmitter); on Connect the connector does.
        connector.put("heartbeat.interval.ms", Long.toString(heartbeatMillis));
        connector.put("heartbeat.action.query",
                "SELECT pg_logical_emit_message(false, '" + ChangeNormaliser.WATERMARK_MESSAGE_PREFIX + "', '')");
        // one partition per table: its snapshot's last-row marker comes after all of its rows
        connector.put("topic.creation.default.partitions", "1");
        connector.put("topic.creation.default.replication.factor", Integer.toString(replicationFactor));
        connector.put("topic.creation.default.cleanup.policy", "delete");
        return Map.of("name", ConnectNormaliserConfig.connectorName(config.deployment()), "config", connector);
    }
}
