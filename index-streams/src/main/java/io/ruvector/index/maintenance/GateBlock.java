package io.ruvector.index.maintenance;

import io.ruvector.schemas.GateAction;
import java.util.Objects;

/**
 * An integrity gate that keeps high-risk maintenance of a collection from starting now.
 *
 * @param scope  the integrity scope whose state says so (the collection, or collection/tenant)
 * @param action DEFER or REJECT
 * @param reason a sentence for acks and logs
 */
public record GateBlock(String scope, GateAction action, String reason) {

    public GateBlock {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
    }
}
