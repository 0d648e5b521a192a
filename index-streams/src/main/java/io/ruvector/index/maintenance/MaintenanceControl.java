package io.ruvector.index.maintenance;

import io.ruvector.index.telemetry.JobPauses;
import io.ruvector.schemas.GateAction;
import io.ruvector.schemas.GateRule;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.RiskLevel;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the index's own maintenance may run: pauses (per collection or for all, each until a
 * time, set by {@code pause_maintenance}) and the integrity gates (the latest
 * {@link IntegrityState} per scope, fed by whoever reads {@code integrity.state}).
 *
 * <p>A pause stops low-priority work: the periodic graph cleanup skips the collection and long
 * jobs wait at their next {@link io.ruvector.index.telemetry.MaintenanceJobs.Job#checkpoint()
 * checkpoint}. A gate whose HIGH-risk rule answers DEFER or REJECT stops high-risk maintenance
 * (graph cleanup/compaction, rebuilds) from starting; work already started is not interrupted.
 * Any scope of a collection (the collection itself or one of its tenants) can block it, because
 * compaction works on the whole collection.
 *
 * <p>One per index application, owned with {@code GraphMaintenance} by whoever builds the
 * topology; never static. Thread-safe. Time comes from the injected {@link Clock}.
 */
public final class MaintenanceControl implements JobPauses {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceControl.class);
    /** A waiting job re-reads the clock at least this often, so an injected clock's expiry is seen. */
    private static final long MAX_WAIT_MILLIS = 200;

    private record Gate(String collection, GateAction action, String reason) {
    }

    private final Clock clock;
    private final Object monitor = new Object();
    private final Map<String, Long> pausedUntil = new HashMap<>(); // guarded by monitor
    private long allPausedUntil; // guarded by monitor; 0 = no pause of all collections
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private final AtomicLong deferred = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    public MaintenanceControl() {
        this(Clock.systemUTC());
    }

    public MaintenanceControl(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Pauses maintenance of {@code collection} ({@code null}: of all collections) until
     * {@code untilMillis}, replacing an earlier pause of the same target.
     */
    public void pause(String collection, long untilMillis) {
        synchronized (monitor) {
            if (collection == null) {
                allPausedUntil = untilMillis;
            } else {
                pausedUntil.put(collection, untilMillis);
            }
            monitor.notifyAll(); // a shortened pause may have ended already
        }
        LOG.info("Maintenance of {} paused until {}", collection == null ? "all collections" : collection, untilMillis);
    }

    /** Ends the pause of {@code collection}; {@code null} ends every pause. Waiting jobs go on. */
    public void resume(String collection) {
        synchronized (monitor) {
            if (collection == null) {
                allPausedUntil = 0;
                pausedUntil.clear();
            } else {
                pausedUntil.remove(collection);
            }
            monitor.notifyAll();
        }
        LOG.info("Maintenance of {} resumed", collection == null ? "all collections" : collection);
    }

    /** Whether maintenance of {@code collection} is paused now (null asks about the pause of all). */
    @Override
    public boolean isPaused(String collection) {
        return pausedUntil(collection) > clock.millis();
    }

    /** The end of the pause that applies to {@code collection} now, 0 when there is none. */
    public long pausedUntil(String collection) {
        synchronized (monitor) {
            long until = allPausedUntil;
            if (collection != null) {
                until = Math.max(until, pausedUntil.getOrDefault(collection, 0L));
            }
            return until > clock.millis() ? until : 0;
        }
    }

    @Override
    public void awaitUnpaused(String collection) throws InterruptedException {
        synchronized (monitor) {
            while (true) {
                long left = pausedUntil(collection) - clock.millis();
                if (left <= 0) {
                    return;
                }
                monitor.wait(Math.max(1, Math.min(left, MAX_WAIT_MILLIS)));
            }
        }
    }

    /**
     * Installs the latest integrity state of {@code scope} ({@code null} state forgets the scope).
     * A change of its high-risk answer is logged once, at INFO.
     */
    public void updateGate(String scope, IntegrityState state) {
        Objects.requireNonNull(scope, "scope");
        if (state == null) {
            gates.remove(scope);
            return;
        }
        GateAction action = GateAction.ALLOW;
        for (GateRule rule : state.getGates()) {
            if (rule.getRisk() == RiskLevel.HIGH) {
                action = rule.getAction();
            }
        }
        String reason = "integrity gate of " + scope + " answers " + action + " for high-risk maintenance (state "
                + state.getState() + ", lambda " + String.format(java.util.Locale.ROOT, "%.3f", state.getLambda()) + ")";
        Gate previous = gates.put(scope, new Gate(state.getCollection(), action, reason));
        if (previous == null ? action != GateAction.ALLOW : previous.action() != action) {
            LOG.info("High-risk maintenance gate of {} is now {} (state {})", scope, action, state.getState());
        }
    }

    /** The gate blocking high-risk maintenance of {@code collection} now, if any (REJECT before DEFER). Counts nothing. */
    public Optional<GateBlock> highRiskBlock(String collection) {
        GateBlock found = null;
        for (Map.Entry<String, Gate> e : gates.entrySet()) {
            Gate gate = e.getValue();
            boolean blocking = gate.action() == GateAction.DEFER || gate.action() == GateAction.REJECT;
            if (blocking && gate.collection().equals(collection)
                    && (found == null || gate.action() == GateAction.REJECT)) {
                found = new GateBlock(e.getKey(), gate.action(), gate.reason());
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Asks before starting high-risk maintenance of {@code collection}: the blocking gate if there is
     * one (counted as deferred or rejected), empty when it may start.
     */
    public Optional<GateBlock> checkHighRisk(String collection) {
        Optional<GateBlock> block = highRiskBlock(collection);
        block.ifPresent(b -> (b.action() == GateAction.REJECT ? rejected : deferred).incrementAndGet());
        return block;
    }

    /** Whether periodic (low-priority, high-risk) maintenance of {@code collection} may run now: not paused, not gated. */
    public boolean mayRunPeriodic(String collection) {
        return !isPaused(collection) && checkHighRisk(collection).isEmpty();
    }

    /** High-risk maintenance starts refused by a DEFER gate so far. */
    public long deferred() {
        return deferred.get();
    }

    /** High-risk maintenance starts refused by a REJECT gate so far. */
    public long rejected() {
        return rejected.get();
    }

    /** The clock pauses are measured against. */
    public Clock clock() {
        return clock;
    }
}
