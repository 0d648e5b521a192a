package io.ruvector.schemas.serde;

import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;

/** A registry fake that hands out ids from {@code firstId} upwards and records every call. */
final class RecordingRegistry implements SchemaRegistry {

    final List<String> subjects = new CopyOnWriteArrayList<>();
    private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private final int firstId;

    RecordingRegistry(int firstId) {
        this.firstId = firstId;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        subjects.add(subject);
        return ids.computeIfAbsent(schema, s -> {
            int id = firstId + schemas.size();
            schemas.put(id, s);
            return id;
        });
    }

    @Override
    public Schema schemaById(int id) {
        Schema schema = schemas.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("no schema " + id);
        }
        return schema;
    }
}
