package io.ruvector.schemas.serde;

import java.io.ByteArrayOutputStream;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte {@code 0}, a 4-byte big-endian schema id, then the
 * Avro binary payload.
 *
 * <p>Why this format and not Avro's single-object encoding: every Schema-Registry-aware
 * consumer (Kafka Connect, ksqlDB, kcat -s avro, the Confluent deserializers) reads it, so our
 * topics stay readable by tools we do not ship. The id is an int handed out by a
 * {@link io.ruvector.schemas.registry.SchemaRegistry}; the format does not care where it comes
 * from (a Confluent registry, or the bundled fingerprint ids).
 *
 * <p>Stateless; all methods are thread-safe.
 */
public final class ConfluentFraming {

    /** First byte of every framed record. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte + schema id. */
    public static final int HEADER_LENGTH = 5;

    /**
     * Where the payload of a framed record lies. A view over the caller's array, not a copy,
     * so that decoding does not copy the payload.
     *
     * @param schemaId the writer schema id
     * @param payloadOffset index of the first payload byte in the framed array
     * @param payloadLength number of payload bytes
     */
    public record Frame(int schemaId, int payloadOffset, int payloadLength) {}

    private ConfluentFraming() {}

    /** Frames {@code payload}: header followed by a copy of the payload. */
    public static byte[] encode(int schemaId, byte[] payload) {
        byte[] framed = new byte[HEADER_LENGTH + payload.length];
        writeHeader(framed, schemaId);
        System.arraycopy(payload, 0, framed, HEADER_LENGTH, payload.length);
        return framed;
    }

    /** Writes the 5-byte header into {@code out}; the payload is expected to follow. */
    public static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /** Writes the 5-byte header at the start of {@code target}. */
    public static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    /**
     * Reads the header of a framed record.
     *
     * @param topic the topic the bytes came from, only for error messages (may be null)
     * @param data the framed record, not null
     * @throws SerializationException when the buffer is shorter than the header or the magic
     *     byte is not 0 (the record was not written in the Confluent format)
     */
    public static Frame decode(String topic, byte[] data) {
        if (data.length < HEADER_LENGTH) {
            throw new SerializationException(where(topic) + "record of " + data.length
                    + " bytes is too short for the Confluent framing (magic byte + 4-byte schema id = "
                    + HEADER_LENGTH + " bytes)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException(where(topic) + "unknown magic byte 0x"
                    + String.format("%02x", data[0] & 0xff) + " (expected 0x00): the record was not written in the"
                    + " Confluent Avro framing (a JSON or plain-string producer on this topic?)");
        }
        int id = ((data[1] & 0xff) << 24) | ((data[2] & 0xff) << 16) | ((data[3] & 0xff) << 8) | (data[4] & 0xff);
        return new Frame(id, HEADER_LENGTH, data.length - HEADER_LENGTH);
    }

    /** Copies the payload (without the header) out of a framed record. */
    public static byte[] payload(String topic, byte[] data) {
        Frame frame = decode(topic, data);
        byte[] payload = new byte[frame.payloadLength()];
        System.arraycopy(data, frame.payloadOffset(), payload, 0, payload.length);
        return payload;
    }

    /** The error for a schema id no registry knows, naming the topic and id. */
    public static SerializationException unknownSchemaId(String topic, int schemaId, Throwable cause) {
        return new SerializationException(where(topic) + "unknown schema id " + schemaId
                + ": the schema registry cannot resolve it (" + cause.getMessage() + ")", cause);
    }

    static String where(String topic) {
        return topic == null ? "" : "topic '" + topic + "': ";
    }
}
