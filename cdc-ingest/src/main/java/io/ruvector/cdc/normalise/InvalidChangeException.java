package io.ruvector.cdc.normalise;

/** A captured change that breaks a collection rule; its message is the dead letter's reason. */
final class InvalidChangeException extends RuntimeException {
    InvalidChangeException(String reason) {
        super(reason, null, false, false);
    }
}
