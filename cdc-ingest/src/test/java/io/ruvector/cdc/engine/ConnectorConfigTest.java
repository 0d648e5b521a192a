package io.ruvector.cdc.engine;

import io.ruvector.schemas.topic.TopicNames;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectorConfigTest {

    private final CaptureConfig capture = new CaptureConfig("shop", PgConnectionSettings.parse(
            "postgresql://app:secret@db.internal:5433/catalog", null, null), "kafka:9092", new TopicNames("rv"),
            null, 0, 0, null, null, null, null);

    @Test
    @SuppressWarnings("unchecked")
    void connectConfigCarriesTheEmbeddedCapturesSettingsWithoutItsEngineKeys() {
        Map<String, Object> connector = ConnectorConfig.forConnect(capture, List.of("public.items", "sales.docs"), 3, 500);
        Map<String, String> config = (Map<String, String>) connector.get("config");

        assertThat(connector.get("name")).isEqualTo("ruvector-shop");
        assertThat(config).containsEntry("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
                .containsEntry("slot.name", "ruvector_shop")
                .containsEntry("publication.name", "ruvector_shop")
                .containsEntry("topic.prefix", "rv.cdc")
                .containsEntry("database.hostname", "db.internal")
                .containsEntry("database.port", "5433")
                .containsEntry("database.dbname", "catalog")
                .containsEntry("table.include.list", "^public\\.items$,^sales\\.docs$")
                .containsEntry("converters", "pgvector")
                .containsEntry("pgvector.type", "io.ruvector.cdc.converter.PgVectorConverter")
                .containsEntry("value.converter", "org.apache.kafka.connect.json.JsonConverter")
                .containsEntry("value.converter.schemas.enable", "true")
                .containsEntry("heartbeat.interval.ms", "500")
                .containsEntry("heartbeat.action.query", "SELECT pg_logical_emit_message(false, 'ruvector.wm', '')")
                .containsEntry("topic.creation.default.replication.factor", "3")
                .containsEntry("topic.creation.default.partitions", "1");
        // the worker keeps offsets and decides where Kafka is; in-process signals do not exist on Connect
        assertThat(config).doesNotContainKeys("offset.storage", "offset.storage.topic", "bootstrap.servers",
                "offset.flush.interval.ms", "signal.enabled.channels", "record.processing.order", "name");
    }

    @Test
    void refusesWhatConnectWouldRejectLater() {
        assertThatThrownBy(() -> ConnectorConfig.forConnect(capture, List.of(), -1, 1000))
                .hasMessageContaining("at least one table");
        assertThatThrownBy(() -> ConnectorConfig.forConnect(capture, List.of("public.items"), 0, 1000))
                .hasMessageContaining("replication factor");
        assertThatThrownBy(() -> ConnectorConfig.forConnect(capture, List.of("public.items"), -1, 0))
                .hasMessageContaining("heartbeat");
    }
}
