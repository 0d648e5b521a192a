package io.ruvector.schemas.serde;

import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The shared hot path of the Avro serdes: framing, encoding and decoding with reused buffers.
 *
 * <p>Why per-thread scratch: a producer serializes on the caller's thread and Kafka Streams
 * shares one serde between stream threads, so a serde must be thread-safe; Avro encoders,
 * decoders and the output buffer are not. One {@link Scratch} per thread (held by this
 * instance, not statically) lets ~50k records/s reuse them: the only allocation per record
 * is the returned {@code byte[]} (and the decoded record). A buffer that grew past
 * {@link #MAX_RETAINED_BUFFER} for one huge record is dropped so it is not pinned forever.
 *
 * <p>{@link DatumWriter}s and {@link DatumReader}s are safe to share between threads once
 * built (the Confluent serializers share them the same way), so the callers cache them per
 * schema id.
 */
final class AvroCodec {

    static final int MAX_RETAINED_BUFFER = 1 << 20;

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** Frames and encodes {@code datum} with writer schema {@code schemaId}. */
    <T> byte[] encode(String topic, int schemaId, T datum, DatumWriter<T> writer) {
        Scratch s = scratch.get();
        s.out.reset();
        ConfluentFraming.writeHeader(s.out, schemaId);
        // A direct encoder writes straight into our buffer: no second, internal buffer to flush.
        s.encoder = EncoderFactory.get().directBinaryEncoder(s.out, s.encoder);
        try {
            writer.write(datum, s.encoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(ConfluentFraming.where(topic) + "cannot encode "
                    + datum.getClass().getName() + " with schema id " + schemaId + ": " + e.getMessage(), e);
        }
        byte[] framed = s.out.toByteArray();
        if (s.out.capacity() > MAX_RETAINED_BUFFER) {
            scratch.remove();
        }
        return framed;
    }

    /** Decodes the payload of a framed record; fails if the payload is not fully consumed. */
    <T> T decode(String topic, byte[] data, ConfluentFraming.Frame frame, DatumReader<T> reader) {
        Scratch s = scratch.get();
        s.decoder = DecoderFactory.get().binaryDecoder(data, frame.payloadOffset(), frame.payloadLength(), s.decoder);
        try {
            T value = reader.read(null, s.decoder);
            if (!s.decoder.isEnd()) {
                throw new SerializationException(ConfluentFraming.where(topic) + "payload of schema id "
                        + frame.schemaId() + " has trailing bytes after the record: the writer used a different"
                        + " schema than the one registered under that id");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException(ConfluentFraming.where(topic) + "cannot decode record with schema id "
                    + frame.schemaId() + ": " + e, e);
        }
    }

    /** Releases this thread's scratch buffers. */
    void releaseThreadScratch() {
        scratch.remove();
    }

    /** Looks up the writer schema of {@code schemaId}, turning registry failures into serde errors. */
    static Schema writerSchema(SchemaRegistry registry, String topic, int schemaId) {
        try {
            return registry.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            throw ConfluentFraming.unknownSchemaId(topic, schemaId, e);
        }
    }

    /** Registers {@code schema}, turning registry failures into serde errors. */
    static int register(SchemaRegistry registry, String topic, String subject, Schema schema) {
        try {
            return registry.register(subject, schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException(ConfluentFraming.where(topic) + "cannot register schema "
                    + schema.getFullName() + " under subject '" + subject + "': " + e.getMessage(), e);
        }
    }

    /**
     * A reader that resolves {@code writer} data into {@code reader}'s class. The compatibility
     * check runs once per schema id, so that an incompatible writer fails with Avro's own
     * description instead of a confusing decode error deep in the payload.
     */
    static <T> DatumReader<T> resolvingReader(String topic, int schemaId, Schema writer, Schema reader,
                                              SpecificData data) {
        SchemaCompatibility.SchemaPairCompatibility compat =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compat.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException(ConfluentFraming.where(topic) + "writer schema id " + schemaId + " ("
                    + writer.getFullName() + ") cannot be read as " + reader.getFullName() + ": "
                    + compat.getResult().getIncompatibilities());
        }
        return new SpecificDatumReader<>(writer, reader, data);
    }

    private static final class Scratch {
        final Buffer out = new Buffer();
        BinaryEncoder encoder;
        BinaryDecoder decoder;
    }

    /** Exposes the capacity so an oversized buffer can be dropped. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(512);
        }

        int capacity() {
            return buf.length;
        }
    }
}
