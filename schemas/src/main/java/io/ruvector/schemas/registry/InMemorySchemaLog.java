package io.ruvector.schemas.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A {@link SchemaLog} in memory: for unit tests, and for two registries in one JVM that must
 * agree without a broker. Thread-safe.
 */
public final class InMemorySchemaLog implements SchemaLog {

    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    @Override
    public void record(int id, Schema schema) {
        schemas.put(id, schema);
    }

    @Override
    public Map<Integer, Schema> readAll() {
        reads.incrementAndGet();
        return Map.copyOf(schemas);
    }

    /** How many times {@link #readAll()} ran; lets tests check that caches are used. */
    public int readCount() {
        return reads.get();
    }

    @Override
    public String toString() {
        return "InMemorySchemaLog[" + schemas.size() + " schemas]";
    }
}
