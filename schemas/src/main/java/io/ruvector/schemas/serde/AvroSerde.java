package io.ruvector.schemas.serde;

import io.ruvector.schemas.registry.SchemaRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of one generated Avro type in the Confluent wire format.
 *
 * <p>Serializing registers the class schema once per topic (subject from the
 * {@link SubjectNameStrategy}, {@code <topic>-value} / {@code <topic>-key} by default) and
 * writes its id in the frame. Deserializing looks the writer schema up by the id in the frame
 * and reads with {@code SpecificDatumReader(writer, reader)}: data written by an older schema
 * is resolved into the current class (BACKWARD evolution), missing fields taking their
 * defaults. {@code null} maps to {@code null} both ways, so tombstones pass through.
 *
 * <p>Thread-safe; one instance can serve every producer and stream thread. Configuration
 * comes from the constructor, so {@link #configure} is a no-op. For a topic that carries
 * several record types use {@link AvroUnionSerde}.
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final SchemaRegistry registry;
    private final Class<T> type;
    private final boolean isKey;
    private final SubjectNameStrategy subjects;
    private final Schema schema;
    private final SpecificData data;
    private final DatumWriter<T> writer;
    private final AvroCodec codec = new AvroCodec();
    private final Map<String, Integer> idByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, DatumReader<T>> readerById = new ConcurrentHashMap<>();

    /**
     * @param registry where writer schema ids come from and are resolved
     * @param type the generated class; its {@code getClassSchema()} is the writer and reader schema
     * @param isKey whether this serde is used for record keys (only changes the subject name)
     * @param subjects how subjects are named
     */
    public AvroSerde(SchemaRegistry registry, Class<T> type, boolean isKey, SubjectNameStrategy subjects) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.type = Objects.requireNonNull(type, "type");
        this.isKey = isKey;
        this.subjects = Objects.requireNonNull(subjects, "subjects");
        this.data = SpecificData.getForClass(type);
        this.schema = data.getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema, data);
    }

    /** A value serde with subjects {@code <topic>-value}. */
    public static <T extends SpecificRecord> AvroSerde<T> forValues(SchemaRegistry registry, Class<T> type) {
        return new AvroSerde<>(registry, type, false, SubjectNameStrategy.TOPIC_NAME);
    }

    /** A key serde with subjects {@code <topic>-key}. */
    public static <T extends SpecificRecord> AvroSerde<T> forKeys(SchemaRegistry registry, Class<T> type) {
        return new AvroSerde<>(registry, type, true, SubjectNameStrategy.TOPIC_NAME);
    }

    /** The schema this serde writes and reads into. */
    public Schema schema() {
        return schema;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Integer id = idByTopic.get(topic);
        if (id == null) {
            id = AvroCodec.register(registry, topic, subjects.subject(topic, isKey, schema), schema);
            idByTopic.putIfAbsent(topic, id);
        }
        return codec.encode(topic, id, record, writer);
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        ConfluentFraming.Frame frame = ConfluentFraming.decode(topic, bytes);
        DatumReader<T> reader = readerById.get(frame.schemaId());
        if (reader == null) {
            Schema writerSchema = AvroCodec.writerSchema(registry, topic, frame.schemaId());
            reader = AvroCodec.resolvingReader(topic, frame.schemaId(), writerSchema, schema, data);
            readerById.putIfAbsent(frame.schemaId(), reader);
        }
        return codec.decode(topic, bytes, frame, reader);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
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
        return "AvroSerde[" + type.getName() + (isKey ? ", key" : ", value") + ", " + subjects + "]";
    }
}
