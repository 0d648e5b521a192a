package io.ruvector.index.telemetry;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Consumer lag per partition of one topic, read from the Kafka clients' metrics (what
 * {@code KafkaStreams.metrics()} returns): {@code records-lag} in group
 * {@value #GROUP}, tagged {@code topic} and {@code partition}. The consumer records it on every
 * fetch as the partition's high watermark minus its position, so it does not count records
 * fetched but still buffered inside Kafka Streams (TELEMETRY-NOTES.md).
 *
 * <p>For a topic name with a '.', the client also reports a deprecated copy tagged with '.'
 * replaced by '_'; only the exact name is read. With several stream threads each consumer
 * reports the partitions it owns; a partition reported twice (a hand-over) keeps the larger lag.
 */
public final class ConsumerLag {

    static final String GROUP = "consumer-fetch-manager-metrics";
    static final String RECORDS_LAG = "records-lag";

    private ConsumerLag() {
    }

    /** {@code topic}'s lag by partition; partitions without a value yet (NaN) are absent. */
    public static Map<Integer, Long> of(Map<MetricName, ? extends Metric> metrics, String topic) {
        Objects.requireNonNull(topic, "topic");
        Map<Integer, Long> lags = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
            MetricName name = entry.getKey();
            if (!RECORDS_LAG.equals(name.name()) || !GROUP.equals(name.group())
                    || !topic.equals(name.tags().get("topic")) || !name.tags().containsKey("partition")) {
                continue;
            }
            if (entry.getValue().metricValue() instanceof Number value && !Double.isNaN(value.doubleValue())) {
                lags.merge(Integer.parseInt(name.tags().get("partition")), Math.max(0L, (long) value.doubleValue()),
                        Math::max);
            }
        }
        return lags;
    }
}
