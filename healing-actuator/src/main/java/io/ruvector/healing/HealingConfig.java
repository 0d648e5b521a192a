package io.ruvector.healing;

import io.ruvector.healing.classify.ClassifierSettings;
import io.ruvector.healing.engine.HealingSettings;
import io.ruvector.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the healing application. The compact constructor validates and fills defaults.
 *
 * @param applicationId       Kafka Streams application id, default {@value #DEFAULT_APPLICATION_ID}
 * @param stateDir            Kafka Streams state directory
 * @param bootstrapServers    the Kafka cluster
 * @param topics              topic names, {@link TopicNames#DEFAULT} when null
 * @param settings            the engine's safety limits and timings, {@link HealingSettings#DEFAULTS} when null
 * @param classifier          classifier thresholds, {@link ClassifierSettings#DEFAULTS} when null
 * @param availableStrategies strategies that have an executor in this deployment; the others are
 *                            listed as unavailable and never chosen
 * @param tick                how often the engine checks timeouts and verification waits (1 s)
 * @param extra               further Kafka Streams properties (none may override the ones above)
 */
public record HealingConfig(String applicationId, Path stateDir, String bootstrapServers, TopicNames topics,
                            HealingSettings settings, ClassifierSettings classifier, Set<String> availableStrategies,
                            Duration tick, Map<String, String> extra) {

    public static final String DEFAULT_APPLICATION_ID = "ruvector-healing";
    private static final Pattern APPLICATION_ID = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    public HealingConfig {
        applicationId = Objects.requireNonNullElse(applicationId, DEFAULT_APPLICATION_ID);
        if (!APPLICATION_ID.matcher(applicationId).matches()) {
            throw new IllegalArgumentException("healing application id '" + applicationId
                    + "' must be 1-200 characters of letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(stateDir, "stateDir");
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("healing bootstrap servers must be set");
        }
        topics = Objects.requireNonNullElse(topics, TopicNames.DEFAULT);
        settings = Objects.requireNonNullElse(settings, HealingSettings.DEFAULTS);
        classifier = Objects.requireNonNullElse(classifier, ClassifierSettings.DEFAULTS);
        availableStrategies = availableStrategies == null ? Set.of() : Set.copyOf(availableStrategies);
        tick = Objects.requireNonNullElse(tick, Duration.ofSeconds(1));
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("healing tick must be > 0, was " + tick);
        }
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        for (String key : extra.keySet()) {
            if (key.equals(StreamsConfig.APPLICATION_ID_CONFIG) || key.equals(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)
                    || key.equals(StreamsConfig.STATE_DIR_CONFIG)) {
                throw new IllegalArgumentException("extra healing property '" + key + "' duplicates a dedicated setting");
            }
        }
    }

    public Properties toProperties() {
        Properties props = new Properties();
        // Exactly-once: a command, the store write that remembers it and the input offsets commit
        // together, so a crash can neither lose a remediation nor issue it twice.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        props.putAll(extra);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }
}
