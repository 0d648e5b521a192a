package io.ruvector.integrity.signing;

import io.ruvector.schemas.IntegrityEvent;
import java.nio.ByteBuffer;
import java.util.Objects;

/** Signs integrity events with one {@link SigningKeys}; thread-safe. */
public final class EventSigner {

    private final SigningKeys keys;

    public EventSigner(SigningKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** A copy of {@code event} with this signer's id and the signature over its {@link CanonicalBytes}. */
    public IntegrityEvent sign(IntegrityEvent event) {
        Objects.requireNonNull(event, "event");
        IntegrityEvent withSigner = IntegrityEvent.newBuilder(event).setSignerId(keys.signerId()).setSignature(null)
                .build();
        byte[] signature = keys.signBytes(CanonicalBytes.of(withSigner));
        withSigner.setSignature(ByteBuffer.wrap(signature));
        return withSigner;
    }

    public String signerId() {
        return keys.signerId();
    }
}
