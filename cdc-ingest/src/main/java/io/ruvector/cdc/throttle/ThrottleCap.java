package io.ruvector.cdc.throttle;

import java.util.Objects;

/**
 * A cap on the admit fractions of one scope installed by a remediation command
 * ({@code throttle_ingestion}): in force until {@code expiresAtMillis}, then it lapses by itself.
 *
 * @param scope             collection, or {@code collection/tenant}
 * @param commandId         the command that installed it (what a ROLLBACK names)
 * @param admitFraction     cap of point changes, in (0, 1]
 * @param bulkAdmitFraction cap of bulk changes, in (0, 1]
 * @param expiresAtMillis   when it lapses (wall clock of the executor's {@code Clock})
 */
public record ThrottleCap(String scope, String commandId, double admitFraction, double bulkAdmitFraction,
                          long expiresAtMillis) {

    public ThrottleCap {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(commandId, "commandId");
        if (!(admitFraction > 0 && admitFraction <= 1) || !(bulkAdmitFraction > 0 && bulkAdmitFraction <= 1)) {
            throw new IllegalArgumentException("cap fractions must be in (0, 1], were " + admitFraction + " and "
                    + bulkAdmitFraction);
        }
    }

    /** The cap of {@code operation}. */
    public double fraction(OperationClass operation) {
        return operation == OperationClass.BULK ? bulkAdmitFraction : admitFraction;
    }

    public boolean expiredAt(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }
}
