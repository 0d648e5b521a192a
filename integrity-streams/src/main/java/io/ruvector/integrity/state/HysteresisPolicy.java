package io.ruvector.integrity.state;

import io.ruvector.schemas.IntegrityPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Thresholds and timings of the {@link HysteresisMachine} (ARCHITECTURE.md §4). Validated here,
 * naming the setting, so a bad policy override fails where it is read and not as a stuck state.
 *
 * @param thresholdHigh     normal while λ ≥ this (0.8)
 * @param thresholdLow      critical territory at λ ≤ this (0.3)
 * @param samplesToStress   consecutive samples with λ &lt; thresholdHigh to leave NORMAL (3)
 * @param samplesToCritical consecutive samples with λ ≤ thresholdLow to reach CRITICAL (2)
 * @param recoveryHold      how long λ must stay ≥ threshold + margin before one step back (300 s)
 * @param recoveryMargin    the margin above the threshold of the state being left (0.1)
 * @param cooldown          no transition this long after one (60 s)
 */
public record HysteresisPolicy(double thresholdHigh, double thresholdLow, int samplesToStress, int samplesToCritical,
                               Duration recoveryHold, double recoveryMargin, Duration cooldown) {

    public static final HysteresisPolicy DEFAULTS = new HysteresisPolicy(0.8, 0.3, 3, 2, Duration.ofSeconds(300),
            0.1, Duration.ofSeconds(60));

    public HysteresisPolicy {
        Objects.requireNonNull(recoveryHold, "recoveryHold");
        Objects.requireNonNull(cooldown, "cooldown");
        if (!(thresholdLow > 0 && thresholdLow < thresholdHigh && thresholdHigh <= 1)) {
            throw new IllegalArgumentException("integrity thresholds must satisfy 0 < thresholdLow < thresholdHigh <= 1,"
                    + " were low " + thresholdLow + " high " + thresholdHigh);
        }
        if (!(recoveryMargin >= 0) || thresholdHigh + recoveryMargin > 1.0 + 1e-12) {
            throw new IllegalArgumentException("integrity recoveryMargin must be >= 0 with thresholdHigh + margin <= 1"
                    + " (λ never exceeds 1, so a larger sum could never recover), was " + recoveryMargin);
        }
        if (samplesToStress < 1 || samplesToCritical < 1) {
            throw new IllegalArgumentException("integrity samplesToStress and samplesToCritical must be >= 1, were "
                    + samplesToStress + " and " + samplesToCritical);
        }
        if (recoveryHold.isNegative() || cooldown.isNegative()) {
            throw new IllegalArgumentException("integrity recoveryHold and cooldown must be >= 0, were "
                    + recoveryHold + " and " + cooldown);
        }
    }

    /** This policy with the non-null hysteresis fields of {@code policy} in their place. */
    public HysteresisPolicy withOverrides(IntegrityPolicy policy) {
        if (policy == null) {
            return this;
        }
        return new HysteresisPolicy(
                policy.getThresholdHigh() != null ? policy.getThresholdHigh() : thresholdHigh,
                policy.getThresholdLow() != null ? policy.getThresholdLow() : thresholdLow,
                policy.getSamplesToStress() != null ? policy.getSamplesToStress() : samplesToStress,
                policy.getSamplesToCritical() != null ? policy.getSamplesToCritical() : samplesToCritical,
                policy.getRecoveryHoldSeconds() != null ? Duration.ofSeconds(policy.getRecoveryHoldSeconds()) : recoveryHold,
                policy.getRecoveryMargin() != null ? policy.getRecoveryMargin() : recoveryMargin,
                policy.getCooldownSeconds() != null ? Duration.ofSeconds(policy.getCooldownSeconds()) : cooldown);
    }
}
