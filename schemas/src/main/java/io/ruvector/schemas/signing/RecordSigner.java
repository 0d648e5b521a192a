package io.ruvector.schemas.signing;

import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Signs records over their {@link CanonicalRecordBytes}. The key lives with the integrity
 * application (one key per deployment); other modules get it as this interface, so that
 * integrity events, commands and outcomes carry one signer id and verify with one public key.
 * Implementations are thread-safe.
 */
public interface RecordSigner {

    /** {@code ed25519:} + the first 16 hex digits of SHA-256 of the public key. */
    String signerId();

    /** The signature of {@code canonicalBytes}. */
    byte[] signBytes(byte[] canonicalBytes);

    /** A copy of {@code record} with this signer's id and the signature over its canonical bytes. */
    default <T extends SpecificRecord> T sign(T record) {
        @SuppressWarnings("unchecked")
        T copy = (T) SpecificData.get().deepCopy(record.getSchema(), record);
        copy.put(record.getSchema().getField(CanonicalRecordBytes.SIGNER_FIELD).pos(), signerId());
        copy.put(record.getSchema().getField(CanonicalRecordBytes.SIGNATURE_FIELD).pos(), null);
        copy.put(record.getSchema().getField(CanonicalRecordBytes.SIGNATURE_FIELD).pos(),
                ByteBuffer.wrap(signBytes(CanonicalRecordBytes.of(copy))));
        return copy;
    }
}
