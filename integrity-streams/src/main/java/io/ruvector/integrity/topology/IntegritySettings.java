package io.ruvector.integrity.topology;

import io.ruvector.integrity.contract.GraphBudgets;
import io.ruvector.integrity.gate.GateMatrix;
import io.ruvector.integrity.lambda.LambdaSettings;
import io.ruvector.integrity.state.HysteresisPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the integrity loop; every default is ARCHITECTURE.md §4's. Null components take
 * their defaults, so {@code new IntegritySettings(null, …)} reads as "the default for that".
 *
 * @param sampleInterval cadence of the reporters' samples (10 s). A scope is evaluated on a sample
 *                       that arrives at least half of it after the previous evaluation, so one round
 *                       of samples from several index instances and the capture counts once
 * @param staleAfter     a reporter's latest sample older than this (relative to the evaluated one)
 *                       is left out of the graph and dropped from the store (30 s = 3 cadences)
 * @param eventTtl       expiry of STATE_CHANGE and POLICY_UPDATE events (10 min); SAMPLE events
 *                       expire after {@code staleAfter}, when a newer reading supersedes them
 * @param maxTransitions transitions kept in the state record (20)
 * @param sampleEvents   emit a SAMPLE event at every evaluation (true)
 * @param hysteresis     default thresholds, overridable per collection and tenant
 * @param budgets        default graph budgets, overridable per collection and tenant
 * @param lambda         λ₂ settings
 * @param gates          the gate matrix numbers
 */
public record IntegritySettings(Duration sampleInterval, Duration staleAfter, Duration eventTtl, int maxTransitions,
                                boolean sampleEvents, HysteresisPolicy hysteresis, GraphBudgets budgets,
                                LambdaSettings lambda, GateMatrix gates) {

    public static final IntegritySettings DEFAULTS = new IntegritySettings(null, null, null, 20, true, null, null,
            null, null);

    public IntegritySettings {
        sampleInterval = positive("sampleInterval", sampleInterval, Duration.ofSeconds(10));
        staleAfter = positive("staleAfter", staleAfter, Duration.ofSeconds(30));
        eventTtl = positive("eventTtl", eventTtl, Duration.ofMinutes(10));
        if (staleAfter.compareTo(sampleInterval) < 0) {
            throw new IllegalArgumentException("integrity staleAfter (" + staleAfter
                    + ") must be at least the sampleInterval (" + sampleInterval + ")");
        }
        if (maxTransitions < 1) {
            throw new IllegalArgumentException("integrity maxTransitions must be >= 1, was " + maxTransitions);
        }
        hysteresis = Objects.requireNonNullElse(hysteresis, HysteresisPolicy.DEFAULTS);
        budgets = Objects.requireNonNullElse(budgets, GraphBudgets.DEFAULTS);
        lambda = Objects.requireNonNullElse(lambda, LambdaSettings.DEFAULTS);
        gates = Objects.requireNonNullElse(gates, GateMatrix.DEFAULTS);
    }

    /** Minimum sample-time gap between two evaluations of one scope: half the cadence. */
    public long minEvaluationGapMillis() {
        return sampleInterval.toMillis() / 2;
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        Duration d = value == null ? fallback : value;
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("integrity " + name + " must be > 0, was " + d);
        }
        return d;
    }
}
