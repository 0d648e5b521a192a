package io.ruvector.integrity.topology;

import io.ruvector.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
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

    /** Properties that have a field of their own above, so {@code extra} may not set them. */
    private static final Set<String> DEDICATED = Set.of(StreamsConfig.APPLICATION_ID_CONFIG,
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, StreamsConfig.STATE_DIR_CONFIG);
    private static final Pattern APPLICATION_ID = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    public IntegrityConfig {
        applicationId = Objects.requireNonNullElse(applicationId, DEFAULT_APPLICATION_ID);
        check(APPLICATION_ID.matcher(applicationId).matches(), "integrity application id '" + applicationId
                + "' must be 1-200 characters of letters, digits, '.', '_' or '-'");
        Objects.requireNonNull(stateDir, "stateDir");
        check(bootstrapServers != null && !bootstrapServers.isBlank(), "integrity bootstrap servers must be set");
        topics = Objects.requireNonNullElse(topics, TopicNames.DEFAULT);
        keyDir = Objects.requireNonNullElse(keyDir, stateDir.resolve("integrity-keys"));
        settings = Objects.requireNonNullElse(settings, IntegritySettings.DEFAULTS);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        for (String key : extra.keySet()) {
            check(!DEDICATED.contains(key), "extra integrity property '" + key + "' duplicates a dedicated setting");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Defaults for everything but where to connect and where to keep state. */
    public static IntegrityConfig of(String bootstrapServers, Path stateDir) {
        return new IntegrityConfig(null, stateDir, bootstrapServers, null, null, null, null);
    }

    public Properties toProperties() {
        Properties props = new Properties();
        // Kafka 5.0 enables it by default; enabling it now also silences a start-up warning per global store.
        props.put("processing.exception.handler.global.enabled", "true");
        props.putAll(extra); // cannot clash: the constructor refused the dedicated keys
        props.putAll(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()));
        return props;
    }
}
