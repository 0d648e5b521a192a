package io.ruvector.schemas.signing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The bytes a signed record's signature covers, the same rule for every signed type (integrity
 * events, remediation commands, healing outcomes): the Avro binary encoding (no Confluent frame)
 * of the record under its own schema with its {@code signature} field null and every other field,
 * the signer id included, as sent. Avro binary is deterministic except for the order of map
 * entries, so top-level maps are encoded sorted by key; a verifier that decodes the record with
 * the same schema re-encodes the same bytes. This is part of the wire contract, not logic of a
 * module: every consumer that verifies needs the same bytes.
 */
public final class CanonicalRecordBytes {

    public static final String SIGNATURE_FIELD = "signature";
    public static final String SIGNER_FIELD = "signerId";

    private CanonicalRecordBytes() {
    }

    /** Whether records of this schema carry a signer id and a signature. */
    public static boolean isSignable(Schema schema) {
        return schema.getField(SIGNATURE_FIELD) != null && schema.getField(SIGNER_FIELD) != null;
    }

    public static <T extends SpecificRecord> byte[] of(T record) {
        Schema schema = record.getSchema();
        if (!isSignable(schema)) {
            throw new IllegalArgumentException(schema.getFullName() + " has no signerId/signature fields");
        }
        @SuppressWarnings("unchecked")
        T copy = (T) SpecificData.get().deepCopy(schema, record);
        for (Schema.Field field : schema.getFields()) {
            if (field.name().equals(SIGNATURE_FIELD)) {
                copy.put(field.pos(), null);
            } else if (field.schema().getType() == Schema.Type.MAP && copy.get(field.pos()) instanceof Map<?, ?> map) {
                copy.put(field.pos(), new TreeMap<>(map));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter<T>(schema).write(copy, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.getName(), e);
        }
        return out.toByteArray();
    }
}
