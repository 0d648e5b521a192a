package io.ruvector.cdc.engine;

import io.ruvector.schemas.topic.TopicNames;

import io.ruvector.cdc.throttle.ThrottleSettings;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of one capture deployment: one replication slot, one publication, one offsets topic.
 *
 * @param deployment         names the slot ({@code ruvector_<deployment>}), publication and offsets topic
 * @param postgres           where to capture from
 * @param bootstrapServers   Kafka cluster that receives the vectors and keeps the offsets
 * @param topics             topic map
 * @param pollInterval       Debezium's poll interval; its 500 ms default adds half a second of latency
 * @param maxBatchSize       Debezium batch size
 * @param maxQueueSize       Debezium queue size
 * @param watermarkInterval  how often a watermark message is written to the WAL
 * @param offsetFlushInterval how often processed offsets are committed (and the slot advanced)
 * @param throttle           the ingestion throttle that obeys the integrity gates
 * @param sampleInterval     how often the capture reports an integrity sample per collection
 */
public record CaptureConfig(String deployment, PgConnectionSettings postgres, String bootstrapServers,
                            TopicNames topics, Duration pollInterval, int maxBatchSize, int maxQueueSize,
                            Duration watermarkInterval, Duration offsetFlushInterval, ThrottleSettings throttle,
                            Duration sampleInterval) {

    private static final Pattern DEPLOYMENT = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    public CaptureConfig {
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        deployment = deployment == null ? "default" : deployment;
        if (!DEPLOYMENT.matcher(deployment).matches()) {
            throw new IllegalArgumentException("deployment '" + deployment + "' must match " + DEPLOYMENT.pattern()
                    + " (it names a replication slot)");
        }
        topics = topics == null ? TopicNames.DEFAULT : topics;
        pollInterval = positive(pollInterval, Duration.ofMillis(10), "pollInterval");
        maxBatchSize = maxBatchSize <= 0 ? 8192 : maxBatchSize;
        maxQueueSize = maxQueueSize <= 0 ? 4 * maxBatchSize : maxQueueSize;
        if (maxQueueSize <= maxBatchSize) {
            throw new IllegalArgumentException("maxQueueSize (" + maxQueueSize + ") must exceed maxBatchSize (" + maxBatchSize + ")");
        }
        watermarkInterval = positive(watermarkInterval, Duration.ofMillis(100), "watermarkInterval");
        offsetFlushInterval = positive(offsetFlushInterval, Duration.ofSeconds(1), "offsetFlushInterval");
        throttle = throttle == null ? ThrottleSettings.DEFAULTS : throttle;
        sampleInterval = positive(sampleInterval, Duration.ofSeconds(10), "sampleInterval");
    }

    /** Defaults for everything but where to read from and write to. */
    public static CaptureConfig of(PgConnectionSettings postgres, String bootstrapServers, String deployment) {
        return new CaptureConfig(deployment, postgres, bootstrapServers, null, null, 0, 0, null, null, null, null);
    }

    public String slotName() {
        return "ruvector_" + deployment;
    }

    public String publicationName() {
        return "ruvector_" + deployment;
    }

    private static Duration positive(Duration d, Duration fallback, String name) {
        if (d == null) {
            return fallback;
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }
}
