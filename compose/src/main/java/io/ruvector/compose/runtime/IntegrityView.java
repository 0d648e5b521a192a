package io.ruvector.compose.runtime;

import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.RiskLevel;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every collection's and tenant's current integrity state, as published on the compacted state
 * topic, for the HTTP API and the metrics. Every instance reads the whole topic, so any instance
 * can answer for any collection. Thread-safe.
 */
public final class IntegrityView {

    /** Evaluations kept per scope: two hours at the default 10 s cadence. */
    public static final int HISTORY_POINTS = 720;

    private final Map<String, IntegrityState> states = new ConcurrentHashMap<>();
    private final Map<String, java.util.ArrayDeque<IntegrityPoint>> history = new ConcurrentHashMap<>();

    /** One evaluation of a scope: when, λ and the state it left. */
    public record IntegrityPoint(long atMillis, double lambda, IntegrityLevel state) {
    }

    void update(IntegrityState state) {
        states.put(state.getScope(), state);
        java.util.ArrayDeque<IntegrityPoint> points = history.computeIfAbsent(state.getScope(), s -> new java.util.ArrayDeque<>());
        synchronized (points) {
            IntegrityPoint last = points.peekLast();
            if (last != null && last.atMillis() >= state.getLastSampleMillis()) {
                return; // the same evaluation read again (the feed re-reads the compacted topic from its start)
            }
            points.addLast(new IntegrityPoint(state.getLastSampleMillis(), state.getLambda(), state.getState()));
            if (points.size() > HISTORY_POINTS) {
                points.removeFirst();
            }
        }
    }

    /**
     * λ and state of {@code collection} (or its {@code tenant}) at each evaluation this instance
     * has read since it started, oldest first (at most {@link #HISTORY_POINTS}).
     */
    public java.util.List<IntegrityPoint> history(String collection, String tenant) {
        java.util.ArrayDeque<IntegrityPoint> points = history.get(tenant == null ? collection : collection + "/" + tenant);
        if (points == null) {
            return java.util.List.of();
        }
        synchronized (points) {
            return java.util.List.copyOf(points);
        }
    }

    /** The state of {@code collection} (or of its {@code tenant}), if it has been evaluated. */
    public Optional<IntegrityState> state(String collection, String tenant) {
        return Optional.ofNullable(states.get(tenant == null ? collection : collection + "/" + tenant));
    }

    /** Every known state. */
    public Collection<IntegrityState> all() {
        return states.values();
    }

    /**
     * The admit fraction of {@code risk} operations for a collection or tenant: a tenant's own
     * state if it has one, else its collection's; 1.0 when never evaluated (normal).
     */
    public double admitFraction(String collection, String tenant, RiskLevel risk) {
        Optional<IntegrityState> state = tenant == null ? Optional.empty() : state(collection, tenant);
        return state.or(() -> state(collection, null))
                .flatMap(s -> s.getGates().stream().filter(g -> g.getRisk() == risk).findFirst())
                .map(g -> g.getAdmitFraction())
                .orElse(1.0);
    }

    /** The level as a number for gauges: 0 normal, 1 stress, 2 critical. */
    public static int ordinal(IntegrityLevel level) {
        return switch (level) {
            case NORMAL -> 0;
            case STRESS -> 1;
            case CRITICAL -> 2;
        };
    }
}
