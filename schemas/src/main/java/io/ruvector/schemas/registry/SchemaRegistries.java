package io.ruvector.schemas.registry;

import java.net.URI;
import java.util.Objects;

/**
 * Picks the {@link SchemaRegistry} implementation for a {@link SchemaRegistryConfig}: the one
 * place that decides between a Confluent registry and the bundled ids, so no module branches
 * on it. The caller owns the returned registry and closes it.
 */
public final class SchemaRegistries {

    private SchemaRegistries() {}

    /**
     * A {@link ConfluentSchemaRegistryClient} when a registry URL is configured, otherwise a
     * {@link BundledSchemaRegistry} over a {@link KafkaSchemaLog} on the configured topic.
     * Opens no connection yet: the first register or lookup does.
     */
    public static SchemaRegistry fromConfig(SchemaRegistryConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.usesRegistry()) {
            return new ConfluentSchemaRegistryClient(URI.create(config.registryUrl()), config.basicAuthUserInfo(),
                    config.timeout());
        }
        return new BundledSchemaRegistry(new KafkaSchemaLog(config.bootstrapServers(), config.bundledTopic(),
                config.replicationFactor(), config.clientProperties(), config.timeout()));
    }

    /** Bundled ids over an {@link InMemorySchemaLog}: for tests and single-process tools. */
    public static SchemaRegistry inMemory() {
        return new BundledSchemaRegistry(new InMemorySchemaLog());
    }
}
