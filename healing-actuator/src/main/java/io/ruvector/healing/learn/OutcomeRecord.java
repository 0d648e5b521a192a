package io.ruvector.healing.learn;

import io.ruvector.schemas.HealingOutcome;
import java.util.Objects;

/**
 * The part of a {@link HealingOutcome} the {@link WeightLearner} learns from.
 *
 * @param strategy          the strategy that ran
 * @param problemClass      the problem class it ran for
 * @param completedAtMillis when it ended: the learning window counts from here
 * @param success           the executor applied the command
 * @param verified          λ rose enough afterwards; only this counts as a success for learning
 * @param improvement       (λ after − λ before) / λ before, 0 when not measured
 * @param durationMillis    how long it ran, negative when not known
 * @param dryRun            a dry run: nothing was applied, so nothing is learned from it
 */
public record OutcomeRecord(String strategy, String problemClass, long completedAtMillis, boolean success,
                            boolean verified, double improvement, long durationMillis, boolean dryRun) {

    public OutcomeRecord {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(problemClass, "problemClass");
        // A NaN or infinite improvement (λ before = 0) would poison every mean it enters.
        if (!Double.isFinite(improvement)) {
            improvement = 0.0;
        }
    }

    /** A real (not dry-run) outcome whose duration is not known. */
    public OutcomeRecord(String strategy, String problemClass, long completedAtMillis, boolean success,
                         boolean verified, double improvement) {
        this(strategy, problemClass, completedAtMillis, success, verified, improvement, -1, false);
    }

    /** The slim view of {@code outcome}; a dry run keeps its flag and {@link WeightLearner#record} skips it. */
    public static OutcomeRecord from(HealingOutcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        return new OutcomeRecord(outcome.getStrategy(), outcome.getProblemClass(), outcome.getCompletedAtMillis(),
                outcome.getSuccess(), outcome.getVerified(), outcome.getImprovement(), outcome.getDurationMillis(),
                outcome.getDryRun());
    }

    /** A success for learning: applied and verified. Applied but not verified did not help. */
    public boolean learnedSuccess() {
        return success && verified;
    }
}
