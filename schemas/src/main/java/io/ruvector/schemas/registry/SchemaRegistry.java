package io.ruvector.schemas.registry;

import org.apache.avro.Schema;

/**
 * Hands out the int ids that the Confluent framing carries, and resolves them back.
 *
 * <p>Why an interface: with a registry URL configured the ids come from a Confluent Schema
 * Registry ({@link ConfluentSchemaRegistryClient}); in the embedded default they are the
 * bundled schemas' fingerprints ({@link BundledSchemaRegistry}). Serdes do not care which.
 *
 * <p>Implementations are thread-safe and cache, so {@link #register} and {@link #schemaById}
 * are cheap after the first call for a given schema or id. {@link #close()} releases network
 * clients; the default does nothing.
 */
public interface SchemaRegistry extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject} (idempotent) and returns its id.
     *
     * @throws SchemaRegistryException when the registry refuses it (e.g. incompatible) or fails
     */
    int register(String subject, Schema schema);

    /**
     * The schema with {@code id}.
     *
     * @throws SchemaRegistryException when no schema has that id or the registry fails
     */
    Schema schemaById(int id);

    @Override
    default void close() {}
}
