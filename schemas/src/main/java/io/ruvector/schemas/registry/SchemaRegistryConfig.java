package io.ruvector.schemas.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where schema ids come from. With {@code registryUrl} set, a Confluent Schema Registry; without
 * it (the embedded default), the bundled fingerprint ids recorded in the compacted
 * {@code bundledTopic} on the cluster at {@code bootstrapServers}.
 *
 * <p>The compact constructor fills defaults (blank url → none, blank topic →
 * {@value KafkaSchemaLog#DEFAULT_TOPIC}, null timeout → 30 s, null client properties → none)
 * and collects every problem before failing with one message that names each setting.
 *
 * @param registryUrl absolute http(s) URL of a Confluent registry, or null for the bundled ids
 * @param basicAuthUserInfo {@code user:password} for the registry, or null
 * @param bundledTopic compacted topic of the bundled schema log
 * @param bootstrapServers Kafka bootstrap servers; required without a registry URL
 * @param replicationFactor replication of the schema log topic when this creates it, ≥ 1
 * @param clientProperties extra Kafka client settings (security) for the schema log clients
 * @param timeout registry request / schema log operation timeout
 */
public record SchemaRegistryConfig(String registryUrl, String basicAuthUserInfo, String bundledTopic,
                                   String bootstrapServers, short replicationFactor,
                                   Map<String, Object> clientProperties, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_TOPIC_LENGTH = 249;

    public SchemaRegistryConfig {
        registryUrl = blankToNull(registryUrl);
        basicAuthUserInfo = blankToNull(basicAuthUserInfo);
        bundledTopic = blankToNull(bundledTopic) == null ? KafkaSchemaLog.DEFAULT_TOPIC : bundledTopic.strip();
        bootstrapServers = blankToNull(bootstrapServers);
        clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;

        List<String> errors = new ArrayList<>();
        if (registryUrl != null) {
            checkUrl(registryUrl, errors);
        } else if (bootstrapServers == null) {
            errors.add("bootstrap servers are required when no schema registry url is set"
                    + " (the bundled schema ids are recorded in topic '" + bundledTopic + "')");
        }
        if (basicAuthUserInfo != null && registryUrl == null) {
            errors.add("schema registry basic auth is set but no schema registry url");
        }
        if (basicAuthUserInfo != null && basicAuthUserInfo.indexOf(':') < 0) {
            errors.add("schema registry basic auth must be 'user:password'");
        }
        if (bundledTopic.length() > MAX_TOPIC_LENGTH || !bundledTopic.matches("[a-zA-Z0-9._-]+")
                || bundledTopic.equals(".") || bundledTopic.equals("..")) {
            errors.add("schema log topic '" + bundledTopic + "' is not a legal Kafka topic name"
                    + " (letters, digits, '.', '_', '-', at most " + MAX_TOPIC_LENGTH + ")");
        }
        if (replicationFactor < 1) {
            errors.add("schema log replication factor must be at least 1, got " + replicationFactor);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            errors.add("schema registry timeout must be positive, got " + timeout);
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid schema registry settings: " + String.join("; ", errors));
        }
    }

    /** The embedded default: bundled ids, log topic {@value KafkaSchemaLog#DEFAULT_TOPIC}, replication 1. */
    public static SchemaRegistryConfig bundled(String bootstrapServers) {
        return new SchemaRegistryConfig(null, null, null, bootstrapServers, (short) 1, null, null);
    }

    /** A Confluent registry at {@code url}, no auth. */
    public static SchemaRegistryConfig confluent(String url) {
        return new SchemaRegistryConfig(url, null, null, null, (short) 1, null, null);
    }

    /** Whether ids come from a Confluent registry rather than the bundled fingerprints. */
    public boolean usesRegistry() {
        return registryUrl != null;
    }

    private static void checkUrl(String url, List<String> errors) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                errors.add("schema registry url '" + url + "' must be an absolute http(s) URL such as http://registry:8081");
            } else if (uri.getUserInfo() != null) {
                errors.add("schema registry url must not carry credentials; set basic auth user info instead");
            }
        } catch (URISyntaxException e) {
            errors.add("schema registry url '" + url + "' is not a URL: " + e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Masks the password and client properties (they may hold secrets). */
    @Override
    public String toString() {
        return "SchemaRegistryConfig[registryUrl=" + registryUrl
                + ", basicAuth=" + (basicAuthUserInfo == null ? "none" : basicAuthUserInfo.substring(0, basicAuthUserInfo.indexOf(':')) + ":***")
                + ", bundledTopic=" + bundledTopic + ", bootstrapServers=" + bootstrapServers
                + ", replicationFactor=" + replicationFactor + ", clientProperties=" + clientProperties.keySet()
                + ", timeout=" + timeout + "]";
    }
}
