package io.ruvector.cdc.collection;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows a compacted topic (collections, partition maps) into a callback: reads it from the
 * beginning without a consumer group, so every process sees every record, then keeps polling.
 * Tombstones are skipped.
 */
public final class CompactedTopicFeed<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicFeed.class);

    private final KafkaConsumer<String, V> consumer;
    private final String topic;
    private final Consumer<V> sink;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    public CompactedTopicFeed(String bootstrapServers, String topic, Deserializer<V> values, Consumer<V> sink) {
        this.topic = topic;
        this.sink = sink;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), values);
        this.thread = new Thread(this::run, "ruvector-feed-" + topic);
        this.thread.setDaemon(true);
    }

    public CompactedTopicFeed<V> start() {
        thread.start();
        return this;
    }

    /** Waits until everything on the topic at start has been read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        deliver(record);
                    }
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("feed from {} stopped: {}", topic, e.getMessage(), e);
            }
        } finally {
            consumer.close();
        }
    }

    private void deliver(ConsumerRecord<String, V> record) {
        try {
            sink.accept(record.value());
        } catch (RuntimeException e) {
            // One bad record (e.g. a partition map for more partitions than the topic has) must not stop the feed.
            LOG.error("ignored record at {}-{}@{}: {}", topic, record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
