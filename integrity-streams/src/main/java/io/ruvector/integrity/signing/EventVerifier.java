package io.ruvector.integrity.signing;

import io.ruvector.schemas.IntegrityEvent;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks integrity event signatures against trusted public keys, looked up by signer id.
 * Thread-safe.
 *
 * <p>Checks the event as this build's schema encodes it: an event written with an older
 * {@code IntegrityEvent} schema and read into a newer class re-encodes differently and fails.
 * Verify with the writer's schema (the one in the frame's schema id) in that case.
 */
public final class EventVerifier {

    private final Map<String, PublicKey> trusted;

    public EventVerifier(PublicKey key) {
        this(List.of(key));
    }

    public EventVerifier(Collection<PublicKey> keys) {
        Map<String, PublicKey> byId = new HashMap<>();
        for (PublicKey key : keys) {
            byId.put(SigningKeys.signerIdOf(Objects.requireNonNull(key, "key")), key);
        }
        this.trusted = Map.copyOf(byId);
    }

    public Verification verify(IntegrityEvent event) {
        Objects.requireNonNull(event, "event");
        String signerId = event.getSignerId();
        ByteBuffer signature = event.getSignature();
        if (signerId == null || signature == null) {
            return new Verification.Unsigned();
        }
        PublicKey key = trusted.get(signerId);
        if (key == null) {
            return new Verification.UnknownSigner(signerId);
        }
        byte[] sig = new byte[signature.remaining()];
        signature.duplicate().get(sig);
        return verify(key, CanonicalBytes.of(event), sig)
                ? new Verification.Valid(signerId) : new Verification.BadSignature(signerId);
    }

    /**
     * Checks any signed record (integrity event, remediation command, healing outcome) over its
     * {@link io.ruvector.schemas.signing.CanonicalRecordBytes}: the same rule as for events.
     */
    public Verification verifyRecord(org.apache.avro.specific.SpecificRecord record) {
        Objects.requireNonNull(record, "record");
        org.apache.avro.Schema schema = record.getSchema();
        if (!io.ruvector.schemas.signing.CanonicalRecordBytes.isSignable(schema)) {
            return new Verification.Unsigned();
        }
        Object signerId = record.get(schema.getField(io.ruvector.schemas.signing.CanonicalRecordBytes.SIGNER_FIELD).pos());
        Object signature = record.get(schema.getField(io.ruvector.schemas.signing.CanonicalRecordBytes.SIGNATURE_FIELD).pos());
        if (signerId == null || !(signature instanceof ByteBuffer buffer)) {
            return new Verification.Unsigned();
        }
        PublicKey key = trusted.get(signerId.toString());
        if (key == null) {
            return new Verification.UnknownSigner(signerId.toString());
        }
        byte[] sig = new byte[buffer.remaining()];
        buffer.duplicate().get(sig);
        return verify(key, io.ruvector.schemas.signing.CanonicalRecordBytes.of(record), sig)
                ? new Verification.Valid(signerId.toString()) : new Verification.BadSignature(signerId.toString());
    }

    /** Whether {@code signature} is a signature of {@code bytes} by any trusted key. */
    public boolean verifyBytes(byte[] bytes, byte[] signature) {
        for (PublicKey key : trusted.values()) {
            if (verify(key, bytes, signature)) {
                return true;
            }
        }
        return false;
    }

    private static boolean verify(PublicKey key, byte[] bytes, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(SigningKeys.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(bytes);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false; // malformed signature bytes: as bad as a wrong one
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify with " + SigningKeys.signerIdOf(key) + ": "
                    + e.getMessage(), e);
        }
    }
}
