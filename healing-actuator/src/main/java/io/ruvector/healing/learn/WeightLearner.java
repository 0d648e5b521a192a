package io.ruvector.healing.learn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Learns strategy weights from remediation outcomes (ARCHITECTURE.md §5): over the outcomes
 * completed in the last {@code window} (30 days by default),
 * <pre>
 *   weight(s) = clamp(successRate(s) × (1 + meanImprovement(s)), 0.1, 2.0)
 *   successRate(s) = verified outcomes / outcomes        (applied but unverified is a failure)
 *   meanImprovement(s) = mean of the relative λ improvement over all its outcomes
 * </pre>
 * and 1.0 for a strategy without outcomes. The floor keeps a strategy that failed lately
 * selectable when nothing else fits; the ceiling keeps one lucky streak from locking the choice.
 * Dry runs are never learned from. With learning off, every weight is 1.0 but outcomes are still
 * recorded, so switching it back on uses the whole window.
 *
 * <p>Time is passed in, never read from a clock, so the window is tested without waiting.
 * Thread-safe: the engine records from its stream thread while the API reads effectiveness.
 */
public final class WeightLearner implements StrategyWeights {

    public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    public static final double MIN_WEIGHT = 0.1;
    public static final double MAX_WEIGHT = 2.0;

    private final long windowMillis;
    private final List<OutcomeRecord> outcomes = new ArrayList<>();
    private boolean learningEnabled;
    /** The time of the latest {@link #prune}; {@link #weight} looks back from here. */
    private long lastNowMillis = Long.MIN_VALUE;

    public WeightLearner() {
        this(DEFAULT_WINDOW, true);
    }

    public WeightLearner(Duration window, boolean learningEnabled) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.windowMillis = window.toMillis();
        this.learningEnabled = learningEnabled;
    }

    public synchronized boolean learningEnabled() {
        return learningEnabled;
    }

    /** Switches learning at run time (the {@code learning_enabled} setting). */
    public synchronized void setLearningEnabled(boolean enabled) {
        this.learningEnabled = enabled;
    }

    public Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    /**
     * Keeps {@code outcome} for learning.
     *
     * @return false for a dry run, which is not kept
     */
    public synchronized boolean record(OutcomeRecord outcome) {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome.dryRun()) {
            return false;
        }
        outcomes.add(outcome);
        return true;
    }

    /** Drops outcomes older than the window before {@code nowMillis}, and makes it the time {@link #weight} uses. */
    public synchronized void prune(long nowMillis) {
        lastNowMillis = nowMillis;
        long from = windowStart(nowMillis);
        outcomes.removeIf(o -> o.completedAtMillis() < from);
    }

    /** The weight of {@code strategy} over the window before the latest {@link #prune} (all kept outcomes before any). */
    @Override
    public synchronized double weight(String strategy) {
        Objects.requireNonNull(strategy, "strategy");
        if (!learningEnabled) {
            return 1.0;
        }
        long from = windowStart(lastNowMillis);
        Tally t = new Tally();
        for (OutcomeRecord o : outcomes) {
            if (o.strategy().equals(strategy) && o.completedAtMillis() >= from) {
                t.add(o);
            }
        }
        return t.weight();
    }

    /** The weight of each strategy with outcomes in the window before {@code nowMillis}; others weigh 1.0. */
    public synchronized Map<String, Double> weights(long nowMillis) {
        Map<String, Double> out = new TreeMap<>();
        tallies(nowMillis).forEach((s, t) -> out.put(s, learningEnabled ? t.weight() : 1.0));
        return out;
    }

    /** Per strategy with outcomes in the window before {@code nowMillis}: what it achieved, by name. */
    public synchronized List<StrategyEffectiveness> effectiveness(long nowMillis) {
        List<StrategyEffectiveness> out = new ArrayList<>();
        tallies(nowMillis).forEach((s, t) -> out.add(new StrategyEffectiveness(s, t.attempts, t.verified,
                t.successRate(), t.meanImprovement(), learningEnabled ? t.weight() : 1.0, t.meanDuration(),
                t.lastCompletedAt)));
        return out;
    }

    /** The kept outcomes, oldest recorded first, for persistence; {@link #record} them back to restore. */
    public synchronized List<OutcomeRecord> outcomes() {
        return List.copyOf(outcomes);
    }

    private Map<String, Tally> tallies(long nowMillis) {
        long from = windowStart(nowMillis);
        Map<String, Tally> tallies = new TreeMap<>();
        for (OutcomeRecord o : outcomes) {
            // No upper bound, as in weight(): an outcome stamped after nowMillis is the newest evidence, not noise.
            if (o.completedAtMillis() >= from) {
                tallies.computeIfAbsent(o.strategy(), k -> new Tally()).add(o);
            }
        }
        return tallies;
    }

    private long windowStart(long nowMillis) {
        // Saturate: before any prune the "now" is Long.MIN_VALUE and every outcome is in the window.
        return nowMillis < Long.MIN_VALUE + windowMillis ? Long.MIN_VALUE : nowMillis - windowMillis;
    }

    /** Running sums over one strategy's outcomes. */
    private static final class Tally {
        int attempts;
        int verified;
        double improvementSum;
        long durationSum;
        int durations;
        long lastCompletedAt = Long.MIN_VALUE;

        void add(OutcomeRecord o) {
            attempts++;
            if (o.learnedSuccess()) {
                verified++;
            }
            improvementSum += o.improvement();
            if (o.durationMillis() >= 0) {
                durationSum += o.durationMillis();
                durations++;
            }
            lastCompletedAt = Math.max(lastCompletedAt, o.completedAtMillis());
        }

        double successRate() {
            return attempts == 0 ? 0.0 : (double) verified / attempts;
        }

        double meanImprovement() {
            return attempts == 0 ? 0.0 : improvementSum / attempts;
        }

        long meanDuration() {
            return durations == 0 ? -1 : durationSum / durations;
        }

        double weight() {
            if (attempts == 0) {
                return 1.0;
            }
            double w = successRate() * (1.0 + meanImprovement());
            return Math.max(MIN_WEIGHT, Math.min(MAX_WEIGHT, w));
        }
    }
}
