package io.ruvector.integrity.gate;

import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.RiskLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The gate matrix of ARCHITECTURE.md §4, with its numbers as settings:
 * <pre>
 *   risk     normal   stress                   critical
 *   low      allow    allow                    throttle lowCriticalThrottle (0.8)
 *   medium   allow    throttle mediumStress…   defer mediumCriticalDefer (60 s)
 *                     (0.5)
 *   high     allow    defer highStressDefer    reject
 *                     (300 s)
 * </pre>
 * Pure and thread-safe.
 *
 * @param lowCriticalThrottle   admit fraction of low-risk operations in CRITICAL
 * @param mediumStressThrottle  admit fraction of medium-risk operations in STRESS
 * @param mediumCriticalDefer   how long medium-risk operations are deferred in CRITICAL
 * @param highStressDefer       how long high-risk operations are deferred in STRESS
 */
public record GateMatrix(double lowCriticalThrottle, double mediumStressThrottle, Duration mediumCriticalDefer,
                         Duration highStressDefer) {

    public static final GateMatrix DEFAULTS = new GateMatrix(0.8, 0.5, Duration.ofSeconds(60), Duration.ofSeconds(300));

    public GateMatrix {
        // The decision records validate ranges; build one of each now so a bad setting fails at startup.
        new GateDecision.Throttle(lowCriticalThrottle);
        new GateDecision.Throttle(mediumStressThrottle);
        new GateDecision.Defer(Objects.requireNonNull(mediumCriticalDefer, "mediumCriticalDefer"));
        new GateDecision.Defer(Objects.requireNonNull(highStressDefer, "highStressDefer"));
    }

    public GateDecision decide(IntegrityLevel state, RiskLevel risk) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(risk, "risk");
        return switch (state) {
            case NORMAL -> GateDecision.ALLOW;
            case STRESS -> switch (risk) {
                case LOW -> GateDecision.ALLOW;
                case MEDIUM -> new GateDecision.Throttle(mediumStressThrottle);
                case HIGH -> new GateDecision.Defer(highStressDefer);
            };
            case CRITICAL -> switch (risk) {
                case LOW -> new GateDecision.Throttle(lowCriticalThrottle);
                case MEDIUM -> new GateDecision.Defer(mediumCriticalDefer);
                case HIGH -> GateDecision.REJECT;
            };
        };
    }

    public GateDecision decide(IntegrityLevel state, Operation operation) {
        return decide(state, operation.risk());
    }

    /** Known operations (not {@link Operation#UNKNOWN}) that may not start now in {@code state}. */
    public List<Operation> blocked(IntegrityLevel state) {
        return matching(state, decision -> !decision.admits());
    }

    /** Known operations admitted only in part in {@code state}. */
    public List<Operation> throttled(IntegrityLevel state) {
        return matching(state, decision -> decision instanceof GateDecision.Throttle);
    }

    private List<Operation> matching(IntegrityLevel state, Predicate<GateDecision> test) {
        List<Operation> out = new ArrayList<>();
        for (Operation op : Operation.values()) {
            if (op != Operation.UNKNOWN && test.test(decide(state, op))) {
                out.add(op);
            }
        }
        return out;
    }
}
