package io.ruvector.schemas.registry;

import java.util.Map;
import org.apache.avro.Schema;

/**
 * Durable record of the schemas a {@link BundledSchemaRegistry} has handed ids out for.
 *
 * <p>Why: bundled ids are fingerprints, so a process can compute the id of a schema it knows,
 * but not the schema of an id it has never seen (written by a newer build). Every registered
 * schema is recorded here before its id is used, so any process on the cluster can resolve
 * any id by re-reading the log. Implementations are thread-safe.
 */
public interface SchemaLog extends AutoCloseable {

    /** Durably records {@code schema} under {@code id}; returns once it is readable by others. */
    void record(int id, Schema schema);

    /** Every recorded schema by id. Rarely called: only when an unknown id shows up. */
    Map<Integer, Schema> readAll();

    @Override
    default void close() {}
}
