package io.ruvector.compose.bench;

import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The newest index sample of one collection, read from the samples topic on a daemon thread: what
 * a benchmark prints next to each evaluation, so that a run shows what the sensor saw per partition.
 */
final class SampleWatch implements AutoCloseable {

    private final AtomicReference<IntegritySample> latest = new AtomicReference<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    SampleWatch(String bootstrap, String topic, String collection) {
        thread = Thread.ofPlatform().daemon().name("bench-sample-watch").start(() -> {
            try (SchemaRegistry registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(bootstrap));
                 KafkaConsumer<String, IntegritySample> consumer = new KafkaConsumer<>(
                         Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                         new StringDeserializer(), AvroSerde.forValues(registry, IntegritySample.class).deserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                while (running.get()) {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                        IntegritySample s = r.value();
                        if (s != null && s.getSource() == SampleSource.INDEX && collection.equals(s.getCollection())) {
                            latest.set(s);
                        }
                    });
                }
            } catch (RuntimeException e) {
                if (running.get()) {
                    System.err.println("sample watch stopped: " + e.getMessage());
                }
            }
        });
    }

    /** One line per partition of the newest sample: rows, lag, p99, apply rate, hand-off. */
    String describe() {
        IntegritySample s = latest.get();
        if (s == null) {
            return "(no index sample yet)";
        }
        return s.getPartitions().stream().map(SampleWatch::partition).collect(Collectors.joining(" | "));
    }

    private static String partition(PartitionStats p) {
        return String.format(java.util.Locale.ROOT, "p%d %d rows, lag %d/%ds, p99 %.0f ms, %.0f/s%s", p.getPartition(),
                p.getVectorCount(), p.getLagRecords(), p.getLagMillis() / 1000,
                Math.max(p.getApplyP99Micros(), p.getQueryP99Micros()) / 1000.0, p.getAppliedPerSecond(),
                p.getHandOff() ? ", moving" : "");
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(2_000);
    }
}
