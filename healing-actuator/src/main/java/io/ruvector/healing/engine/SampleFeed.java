package io.ruvector.healing.engine;

import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link LatestSamples} from the integrity samples topic, starting a little in the past so
 * that a restarted engine has the latest round at once. No consumer group: every engine reads
 * every partition. One daemon thread; {@link #close()} stops it.
 */
public final class SampleFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SampleFeed.class);

    private final KafkaConsumer<String, IntegritySample> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    private SampleFeed(KafkaConsumer<String, IntegritySample> consumer, String topic, LatestSamples into, Duration lookBack) {
        this.consumer = consumer;
        this.thread = Thread.ofPlatform().daemon().name("ruvector-healing-samples").unstarted(() -> run(topic, into, lookBack));
    }

    public static SampleFeed start(String bootstrapServers, String topic, SchemaRegistry registry, LatestSamples into,
                                   Duration lookBack) {
        Objects.requireNonNull(into, "into");
        KafkaConsumer<String, IntegritySample> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new StringDeserializer(), AvroSerde.forValues(registry, IntegritySample.class).deserializer());
        SampleFeed feed = new SampleFeed(consumer, topic, into, lookBack);
        feed.thread.start();
        return feed;
    }

    private void run(String topic, LatestSamples into, Duration lookBack) {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> since = new HashMap<>();
            long from = System.currentTimeMillis() - lookBack.toMillis();
            partitions.forEach(p -> since.put(p, from));
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp o = offsets.get(p);
                consumer.seek(p, o != null ? o.offset() : end.get(p));
            }
            while (running) {
                for (ConsumerRecord<String, IntegritySample> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        into.put(r.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("the healing engine's sample feed stopped: {}", e.toString());
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
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
