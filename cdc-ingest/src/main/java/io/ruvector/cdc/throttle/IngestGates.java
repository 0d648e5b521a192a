package io.ruvector.cdc.throttle;

import io.ruvector.schemas.GateAction;
import io.ruvector.schemas.GateRule;
import io.ruvector.schemas.IntegrityState;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gate answers the capture obeys, from the compacted integrity state topic (key = collection
 * or collection/tenant). A change is admitted at the lower fraction of its collection's and its
 * tenant's gate for its operation class; {@code DEFER} and {@code REJECT} become the configured
 * minimum fraction, because a committed PostgreSQL write cannot be refused, only slowed.
 * Thread-safe: the state feed writes, the capture thread reads.
 */
public final class IngestGates {

    private final Map<String, IntegrityState> states = new ConcurrentHashMap<>();
    private final double minAdmitFraction;

    public IngestGates(ThrottleSettings settings) {
        this.minAdmitFraction = settings.minAdmitFraction();
    }

    /** Installs the latest state of {@code scope}; a null state (tombstone) removes it. */
    public void update(String scope, IntegrityState state) {
        if (state == null) {
            states.remove(scope);
        } else {
            states.put(scope, state);
        }
    }

    /** The fraction of {@code operation} changes to admit for this collection and tenant, in (0, 1]. */
    public double admitFraction(String collection, String tenant, OperationClass operation) {
        double fraction = fraction(states.get(collection), operation);
        if (tenant != null) {
            fraction = Math.min(fraction, fraction(states.get(collection + "/" + tenant), operation));
        }
        return fraction;
    }

    private double fraction(IntegrityState state, OperationClass operation) {
        if (state == null) {
            return 1.0;
        }
        for (GateRule rule : state.getGates()) {
            if (rule.getRisk() == operation.risk()) {
                return rule.getAction() == GateAction.ALLOW ? 1.0
                        : rule.getAction() == GateAction.THROTTLE
                        ? Math.max(minAdmitFraction, Math.min(1.0, rule.getAdmitFraction()))
                        : minAdmitFraction;
            }
        }
        return 1.0;
    }
}
