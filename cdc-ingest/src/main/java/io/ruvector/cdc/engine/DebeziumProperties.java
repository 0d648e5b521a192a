package io.ruvector.cdc.engine;

import io.ruvector.cdc.converter.PgVectorConverter;
import io.ruvector.cdc.normalise.ChangeNormaliser;

import java.util.Collection;
import java.util.Properties;

/** Debezium PostgreSQL connector settings for a capture deployment over a set of tables. */
final class DebeziumProperties {

    private DebeziumProperties() {
    }

    static Properties of(CaptureConfig config, Collection<String> tables) {
        Properties p = new Properties();
        p.setProperty("name", "ruvector-" + config.deployment());
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("tasks.max", "1");
        // Offsets live on the same cluster as the data: they survive or vanish together.
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        p.setProperty("offset.storage.topic", config.topics().captureOffsets(config.deployment()));
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", "1");
        p.setProperty("offset.flush.interval.ms", Long.toString(config.offsetFlushInterval().toMillis()));
        p.setProperty("bootstrap.servers", config.bootstrapServers());

        PgConnectionSettings pg = config.postgres();
        p.setProperty("database.hostname", pg.host());
        p.setProperty("database.port", Integer.toString(pg.port()));
        p.setProperty("database.user", pg.user());
        p.setProperty("database.password", pg.password() == null ? "" : pg.password());
        p.setProperty("database.dbname", pg.database());
        p.setProperty("topic.prefix", config.topics().cdcPrefix());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", config.slotName());
        p.setProperty("publication.name", config.publicationName());
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", String.join(",", tables.stream().map(DebeziumProperties::regex).toList()));
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("poll.interval.ms", Long.toString(config.pollInterval().toMillis()));
        p.setProperty("max.batch.size", Integer.toString(config.maxBatchSize()));
        p.setProperty("max.queue.size", Integer.toString(config.maxQueueSize()));
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("decimal.handling.mode", "double");
        p.setProperty("time.precision.mode", "connect");
        p.setProperty("message.prefix.include.list", ChangeNormaliser.WATERMARK_MESSAGE_PREFIX.replace(".", "\\."));
        p.setProperty("signal.enabled.channels", "in-process");
        p.setProperty("converters", "pgvector");
        p.setProperty("pgvector.type", PgVectorConverter.class.getName());
        p.setProperty("errors.max.retries", "-1");
        p.setProperty("record.processing.order", "ORDERED");
        return p;
    }

    private static String regex(String table) {
        return "^" + table.replace(".", "\\.") + "$";
    }
}
