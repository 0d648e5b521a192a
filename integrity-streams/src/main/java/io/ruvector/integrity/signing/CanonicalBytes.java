package io.ruvector.integrity.signing;

import io.ruvector.schemas.IntegrityEvent;

/**
 * The bytes an integrity event's signature covers: the Avro binary encoding (no Confluent frame)
 * of the event under its own schema, with {@code signature} set to null and every other field,
 * the signer id included, as sent. Avro binary is deterministic for a given schema and value
 * except for map entry order, which follows the map's iteration order: a decoded event's metadata
 * is a {@code HashMap}, the producer's may be anything. So the metadata is encoded sorted by key,
 * and a verifier that decodes the event with the same schema re-encodes the same bytes.
 */
public final class CanonicalBytes {

    private CanonicalBytes() {
    }

    public static byte[] of(IntegrityEvent event) {
        return io.ruvector.schemas.signing.CanonicalRecordBytes.of(event);
    }
}
