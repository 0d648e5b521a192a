package io.ruvector.integrity.signing;

/** The outcome of checking an integrity event's signature. */
public sealed interface Verification {

    /** Signed by {@code signerId}, and not changed since. */
    record Valid(String signerId) implements Verification {
    }

    /** No signer id or no signature. */
    record Unsigned() implements Verification {
    }

    /** Signed by a key this verifier does not trust. */
    record UnknownSigner(String signerId) implements Verification {
    }

    /** The signature does not match the event: it was changed after signing, or forged. */
    record BadSignature(String signerId) implements Verification {
    }

    default boolean isValid() {
        return this instanceof Valid;
    }
}
