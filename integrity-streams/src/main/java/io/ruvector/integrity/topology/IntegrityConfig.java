package io.ruvector.integrity.topology;

import io.ruvector.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the integrity application. The compact constructor validates and fills defaults.
 *
 * @param applicationId    Kafka Streams application id, default {@value #DEFAULT_APPLICATION_ID}
 * @param stateDir         Kafka Streams state directory
 * @param bootstrapServers the Kafka cluster
 * @param topics           topic names, {@link TopicNames#DEFAULT} when null
 * @param keyDir           where the Ed25519 signing key lives, {@code <stateDir>/integrity-keys} when
 *                         null (outside the application's own directory, which a reset wipes)
 * @param settings         the integrity loop's settings, {@link IntegritySettings#DEFAULTS} when null
 * @param extra            further Kafka Streams properties (none may override the ones above)
 */
public record IntegrityConfig(String applicationId, Path stateDir, String bootstrapServers, TopicNames topics,
                              Path keyDir, IntegritySettings settings, Map<String, String> extra) {

    public static final String DEFAULT_APPLICATION_ID = "ruvector-integrity";

    public IntegrityConfig {
        applicationId = applicationId == null ? DEFAULT_APPLICATION_ID : applicationId;
        if (!applicationId.matches("[a-zA-Z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("integrity application id '" + applicationId
                    + "' must be 1-200 characters of letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("integrity bootstrap servers must not be blank");
        }
        topics = topics == null ? TopicNames.DEFAULT : topics;
        keyDir = keyDir == null ? stateDir.resolve("integrity-keys") : keyDir;
        settings = settings == null ? IntegritySettings.DEFAULTS : settings;
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        for (String key : extra.keySet()) {
            if (key.equals(StreamsConfig.APPLICATION_ID_CONFIG) || key.equals(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)
                    || key.equals(StreamsConfig.STATE_DIR_CONFIG)) {
                throw new IllegalArgumentException("extra integrity property '" + key + "' duplicates a dedicated setting");
            }
        }
    }

    /** Defaults for everything but where to connect and where to keep state. */
    public static IntegrityConfig of(String bootstrapServers, Path stateDir) {
        return new IntegrityConfig(null, stateDir, bootstrapServers, null, null, null, null);
    }

    public Properties toProperties() {
        Properties props = new Properties();
        props.putAll(extra);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }
}
