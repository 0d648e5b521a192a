package io.ruvector.cdc.throttle;

import io.ruvector.schemas.GateAction;
import io.ruvector.schemas.GateRule;
import io.ruvector.schemas.IntegrityState;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gate answers the capture obeys, from the compacted integrity state topic (key = collection
 * or collection/tenant). A change is admitted at the lower fraction of its collection's and its
 * tenant's gate for its operation class; {@code DEFER} and {@code REJECT} become the configured
 * minimum fraction, because a committed PostgreSQL write cannot be refused, only slowed.
 *
 * <p>On top of the gates, a remediation command may install a {@link ThrottleCap} per scope
 * ({@link ThrottleCommandExecutor}); the admitted fraction is then the lower of the two. A cap
 * lapses at its expiry, checked on every read, so no timer is needed to lift it.
 * Thread-safe: the state feed and the executor write, the capture thread reads.
 */
public final class IngestGates {

    private final Map<String, IntegrityState> states = new ConcurrentHashMap<>();
    private final Map<String, ThrottleCap> caps = new ConcurrentHashMap<>();
    private final double minAdmitFraction;
    private final Clock clock;

    public IngestGates(ThrottleSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock decides when a {@link ThrottleCap} has expired (the executor's clock) */
    public IngestGates(ThrottleSettings settings, Clock clock) {
        this.minAdmitFraction = settings.minAdmitFraction();
        this.clock = clock;
    }

    /** The lowest fraction the capture ever admits: a committed write can only be slowed. */
    public double minAdmitFraction() {
        return minAdmitFraction;
    }

    /** Installs {@code cap} for its scope, replacing the scope's previous cap; returns that one, if any was in force. */
    public Optional<ThrottleCap> installCap(ThrottleCap cap) {
        return Optional.ofNullable(caps.put(cap.scope(), cap)).filter(c -> !c.expiredAt(clock.millis()));
    }

    /**
     * Lifts the cap of {@code scope} if {@code commandId} installed it; returns the lifted cap.
     * A cap installed by a later command stays: rolling back an older command must not lift it.
     */
    public Optional<ThrottleCap> liftCap(String scope, String commandId) {
        ThrottleCap current = caps.get(scope);
        if (current != null && current.commandId().equals(commandId) && caps.remove(scope, current)) {
            return Optional.of(current).filter(c -> !c.expiredAt(clock.millis()));
        }
        return Optional.empty();
    }

    /** The unexpired cap of {@code scope} (collection or collection/tenant); expired ones are dropped. */
    public Optional<ThrottleCap> cap(String scope) {
        ThrottleCap cap = caps.get(scope);
        if (cap != null && cap.expiredAt(clock.millis())) {
            caps.remove(scope, cap);
            return Optional.empty();
        }
        return Optional.ofNullable(cap);
    }

    /** The caps in force now, by scope (for status and metrics). */
    public List<ThrottleCap> caps() {
        long now = clock.millis();
        caps.values().removeIf(c -> c.expiredAt(now));
        return caps.values().stream().sorted(Comparator.comparing(ThrottleCap::scope)).toList();
    }

    /** Installs the latest state of {@code scope}; a null state (tombstone) removes it. */
    public void update(String scope, IntegrityState state) {
        if (state == null) {
            states.remove(scope);
        } else {
            states.put(scope, state);
        }
    }

    /**
     * The fraction of {@code operation} changes to admit for this collection and tenant, in (0, 1]:
     * the lowest of the gates' and of the unexpired caps of the collection and the tenant.
     */
    public double admitFraction(String collection, String tenant, OperationClass operation) {
        double fraction = Math.min(fraction(states.get(collection), operation), capFraction(collection, operation));
        if (tenant != null) {
            String scope = collection + "/" + tenant;
            fraction = Math.min(fraction, Math.min(fraction(states.get(scope), operation), capFraction(scope, operation)));
        }
        return fraction;
    }

    private double capFraction(String scope, OperationClass operation) {
        if (caps.isEmpty()) {
            return 1.0; // the common case: no remediation in force, no clock read per change group
        }
        return cap(scope).map(c -> Math.max(minAdmitFraction, c.fraction(operation))).orElse(1.0);
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
