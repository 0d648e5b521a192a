package io.ruvector.healing;

import io.ruvector.healing.engine.HealingSettings;
import io.ruvector.healing.engine.Remediation;
import io.ruvector.schemas.HealingOutcome;

/**
 * What {@code GET …/healing} shows of one scope.
 *
 * @param settings          the effective settings (defaults with the configured overrides)
 * @param active            the remediation in flight, null when none
 * @param attemptsInWindow  attempts that count against {@code max_attempts_per_hour}
 * @param cooldownUntilMillis when the next automatic attempt may start (0 = now)
 * @param suspended         automatic healing stopped after remediations in a row that were not verified
 * @param lastDecision      the engine's latest decision or refusal
 * @param lastOutcome       the latest outcome, null when none
 * @param outcomes24h       outcomes of the last 24 h (dry runs excluded)
 * @param verified24h       of those, verified ones
 */
public record HealingStatus(String scope, HealingSettings settings, Remediation active, int attemptsInWindow,
                            long cooldownUntilMillis, boolean suspended, String lastDecision, long lastDecisionMillis,
                            HealingOutcome lastOutcome, int outcomes24h, int verified24h) {

    public double successRate24h() {
        return outcomes24h == 0 ? 1.0 : (double) verified24h / outcomes24h;
    }
}
