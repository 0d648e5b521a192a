package io.ruvector.index.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ConsumerLag} over a real Kafka {@link Metrics} registry holding metrics named and tagged as
 * kafka-clients 4.3's {@code FetchMetricsManager} registers them (checked against its bytecode:
 * {@code records-lag} tagged with the topic as is, plus a deprecated copy with '.' → '_' for
 * dotted topic names).
 */
class ConsumerLagTest {

    private static final String TOPIC = "ruvector.vectors";
    private final Metrics metrics = new Metrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void shouldReadTheLagOfEachPartitionOfTheTopicWhenTheConsumerReportsIt() {
        lag("stream-thread-1-consumer", TOPIC, 0, 120);
        lag("stream-thread-1-consumer", "ruvector_vectors", 0, 999); // the deprecated copy: ignored
        lag("stream-thread-2-consumer", TOPIC, 3, 7);
        lag("stream-thread-2-consumer", "ruvector.collections", 1, 50); // another topic
        Sensor max = metrics.sensor("lag-max");
        max.add(metrics.metricName("records-lag-max", ConsumerLag.GROUP, "", Map.of("client-id", "c")), new Max());
        max.record(1_000);

        assertThat(ConsumerLag.of(metrics.metrics(), TOPIC)).containsExactlyInAnyOrderEntriesOf(Map.of(0, 120L, 3, 7L));
    }

    @Test
    void shouldKeepTheLargerLagWhenTwoConsumersReportOnePartition() {
        lag("stream-thread-1-consumer", TOPIC, 2, 10);
        lag("stream-thread-2-consumer", TOPIC, 2, 30);
        assertThat(ConsumerLag.of(metrics.metrics(), TOPIC)).containsExactly(Map.entry(2, 30L));
    }

    @Test
    void shouldLeaveOutPartitionsWithoutAValueYet() {
        metrics.addMetric(name("c", TOPIC, 5), (Measurable) (config, now) -> Double.NaN);
        assertThat(ConsumerLag.of(metrics.metrics(), TOPIC)).isEmpty();
    }

    private void lag(String client, String topic, int partition, long records) {
        Sensor sensor = metrics.sensor(client + topic + partition);
        sensor.add(name(client, topic, partition), new Value());
        sensor.record(records);
    }

    private MetricName name(String client, String topic, int partition) {
        return metrics.metricName(ConsumerLag.RECORDS_LAG, ConsumerLag.GROUP, "",
                Map.of("client-id", client, "topic", topic, "partition", Integer.toString(partition)));
    }
}
