package io.ruvector.cdc.collection;

import io.ruvector.schemas.CollectionSpec;
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

/**
 * Follows the compacted collections topic into a {@link CollectionCatalog}: reads it from the
 * beginning (no consumer group, every process sees every collection), then keeps polling.
 */
public final class CollectionsFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionsFeed.class);

    private final KafkaConsumer<String, CollectionSpec> consumer;
    private final String topic;
    private final CollectionCatalog catalog;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    public CollectionsFeed(String bootstrapServers, String topic, Deserializer<CollectionSpec> values,
                           CollectionCatalog catalog) {
        this.topic = topic;
        this.catalog = catalog;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), values);
        this.thread = new Thread(this::run, "ruvector-collections-feed");
        this.thread.setDaemon(true);
    }

    public CollectionsFeed start() {
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
                for (ConsumerRecord<String, CollectionSpec> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        catalog.put(record.value());
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
                LOG.error("collections feed from {} stopped: {}", topic, e.getMessage(), e);
            }
        } finally {
            consumer.close();
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
