package io.ruvector.cdc.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Follows one Debezium PostgreSQL connector's committed source offsets in Kafka Connect's offsets
 * topic. Connect commits a task's offset only once every record the task produced before it was
 * acknowledged, so the committed {@code lsn} is a position the whole capture has delivered up to,
 * across all of its topics: what a watermark needs and no single topic can tell.
 *
 * <p>The topic's format is Connect's public one (KIP-875): key {@code ["<connector>", {"server":
 * "<topic.prefix>"}]}, value a JSON object holding {@code lsn}; a null value resets the offset.
 */
final class ConnectOffsets implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectOffsets.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String connector;
    private final String server;
    private final String offsetsTopic;
    private long lsn = -1;
    private long lookedAtNanos;
    private boolean toldWaiting;

    ConnectOffsets(String bootstrapServers, String offsetsTopic, String connector, String server) {
        this.connector = connector;
        this.server = server;
        this.offsetsTopic = offsetsTopic;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Assigns the offsets topic once it exists: the normaliser may start before the Connect worker creates it. */
    private boolean assigned() {
        if (!consumer.assignment().isEmpty()) {
            return true;
        }
        long now = System.nanoTime();
        if (now - lookedAtNanos < 2_000_000_000L) {
            return false;
        }
        lookedAtNanos = now;
        List<PartitionInfo> partitions = consumer.listTopics(Duration.ofSeconds(5)).get(offsetsTopic);
        if (partitions == null || partitions.isEmpty()) {
            if (!toldWaiting) {
                LOG.info("waiting for Kafka Connect's offsets topic {} (the worker's offset.storage.topic); no watermark "
                        + "until it exists", offsetsTopic);
                toldWaiting = true;
            }
            return false;
        }
        List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(offsetsTopic, p.partition())).toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
        return true;
    }

    /** Reads what was committed since the last call; the latest committed {@code lsn}, or -1 before the first. */
    long poll(Duration wait) {
        if (!assigned()) {
            return lsn;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            if (record.key() == null || !ours(record.key())) {
                continue;
            }
            if (record.value() == null) {
                lsn = -1; // the offset was reset (Connect's DELETE /offsets): the capture starts over
                continue;
            }
            try {
                JsonNode value = JSON.readTree(record.value());
                if (value.path("lsn").canConvertToLong()) {
                    lsn = value.get("lsn").asLong();
                }
            } catch (IOException e) {
                LOG.warn("unreadable offset of connector {} in Connect's offsets topic at {}: {}", connector, record.offset(),
                        e.getMessage());
            }
        }
        return lsn;
    }

    private boolean ours(byte[] key) {
        try {
            JsonNode k = JSON.readTree(key);
            return k.isArray() && k.size() == 2 && connector.equals(k.get(0).asText())
                    && server.equals(k.get(1).path("server").asText());
        } catch (IOException e) {
            return false; // another worker's record, not JSON: not ours
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
