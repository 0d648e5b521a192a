package io.ruvector.schemas.serde;

import io.ruvector.schemas.registry.SchemaRegistry;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for a topic that carries several record types, e.g. the vectors topic with
 * {@code VectorChange} and {@code Watermark} records.
 *
 * <p>Why not an Avro union schema: each type keeps its own schema, id and evolution, exactly
 * like Confluent's {@code TopicRecordNameStrategy}, and consumers that only know one type can
 * still read the other's frames by id. Deserializing picks the accepted class whose full name
 * equals the writer schema's full name and resolves the data into it (BACKWARD evolution); a
 * type this serde was not given fails with a message listing what it accepts. Callers branch
 * with {@code switch (record) { case VectorChange c -> …; case Watermark w -> …; }}.
 *
 * <p>Subjects default to {@code <topic>-<record full name>}, because a Confluent registry
 * rejects two unrelated record types under one {@code <topic>-value} subject. Thread-safe.
 */
public final class AvroUnionSerde implements Serde<SpecificRecord>, Serializer<SpecificRecord>,
        Deserializer<SpecificRecord> {

    private final SchemaRegistry registry;
    private final boolean isKey;
    private final SubjectNameStrategy subjects;
    private final Map<Class<?>, Binding> byClass;
    private final Map<String, Binding> byFullName;
    private final AvroCodec codec = new AvroCodec();
    private final Map<Integer, DatumReader<SpecificRecord>> readerById = new ConcurrentHashMap<>();

    /** One accepted type: its schema, writer and the id it was registered with per topic. */
    private record Binding(Schema schema, SpecificData data, DatumWriter<SpecificRecord> writer,
                           Map<String, Integer> idByTopic) {}

    /**
     * @param types the accepted generated classes; full names must be distinct
     */
    public AvroUnionSerde(SchemaRegistry registry, Collection<Class<? extends SpecificRecord>> types,
                          boolean isKey, SubjectNameStrategy subjects) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.isKey = isKey;
        this.subjects = Objects.requireNonNull(subjects, "subjects");
        if (types.isEmpty()) {
            throw new IllegalArgumentException("AvroUnionSerde needs at least one record class");
        }
        Map<Class<?>, Binding> classes = new LinkedHashMap<>();
        Map<String, Binding> names = new LinkedHashMap<>();
        for (Class<? extends SpecificRecord> type : types) {
            SpecificData data = SpecificData.getForClass(type);
            Schema schema = data.getSchema(type);
            Binding binding = new Binding(schema, data, new SpecificDatumWriter<>(schema, data), new ConcurrentHashMap<>());
            if (names.putIfAbsent(schema.getFullName(), binding) != null) {
                throw new IllegalArgumentException("record " + schema.getFullName() + " given twice");
            }
            classes.put(type, binding);
        }
        this.byClass = Map.copyOf(classes);
        this.byFullName = Map.copyOf(names);
    }

    /** A value serde over {@code types} with subjects {@code <topic>-<record full name>}. */
    public static AvroUnionSerde forValues(SchemaRegistry registry, List<Class<? extends SpecificRecord>> types) {
        return new AvroUnionSerde(registry, types, false, SubjectNameStrategy.TOPIC_RECORD_NAME);
    }

    @Override
    public byte[] serialize(String topic, SpecificRecord record) {
        if (record == null) {
            return null;
        }
        Binding binding = byClass.get(record.getClass());
        if (binding == null) {
            throw new SerializationException(ConfluentFraming.where(topic) + "record type "
                    + record.getClass().getName() + " is not one of " + acceptedNames());
        }
        Integer id = binding.idByTopic().get(topic);
        if (id == null) {
            String subject = subjects.subject(topic, isKey, binding.schema());
            id = AvroCodec.register(registry, topic, subject, binding.schema());
            binding.idByTopic().putIfAbsent(topic, id);
        }
        return codec.encode(topic, id, record, binding.writer());
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        ConfluentFraming.Frame frame = ConfluentFraming.decode(topic, bytes);
        DatumReader<SpecificRecord> reader = readerById.get(frame.schemaId());
        if (reader == null) {
            reader = newReader(topic, frame.schemaId());
            readerById.putIfAbsent(frame.schemaId(), reader);
        }
        return codec.decode(topic, bytes, frame, reader);
    }

    private DatumReader<SpecificRecord> newReader(String topic, int schemaId) {
        Schema writer = AvroCodec.writerSchema(registry, topic, schemaId);
        Binding target = writer.getType() == Schema.Type.RECORD ? byFullName.get(writer.getFullName()) : null;
        if (target == null) {
            throw new SerializationException(ConfluentFraming.where(topic) + "schema id " + schemaId + " is "
                    + writer.getType().getName() + " '" + writer.getFullName()
                    + "', which this deserializer does not accept; accepted record types: " + acceptedNames());
        }
        return AvroCodec.resolvingReader(topic, schemaId, writer, target.schema(), target.data());
    }

    private List<String> acceptedNames() {
        return byFullName.keySet().stream().sorted().toList();
    }

    @Override
    public Serializer<SpecificRecord> serializer() {
        return this;
    }

    @Override
    public Deserializer<SpecificRecord> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Configured by the constructor; Kafka may still call this, so accept and ignore.
    }

    /** Releases the calling thread's buffers; the serde stays usable. */
    @Override
    public void close() {
        codec.releaseThreadScratch();
    }

    @Override
    public String toString() {
        return "AvroUnionSerde" + acceptedNames();
    }
}
