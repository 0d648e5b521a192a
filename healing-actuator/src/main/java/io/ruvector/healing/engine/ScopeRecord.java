package io.ruvector.healing.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the engine remembers of one scope (a collection, or one tenant of it): the remediation in
 * flight, the attempts that count against the limits, and the last decision (shown by status).
 *
 * @param active               the remediation in flight, null when none
 * @param attempts             start times of the attempts within the attempt window
 * @param lastAttemptMillis    start of the latest attempt (0 = never)
 * @param consecutiveUnverified remediations in a row that were not verified
 * @param suspended            auto-heal stopped because healing was not improving λ (cleared by NORMAL or an operator)
 * @param lastDecision         the latest decision or refusal, in words
 * @param overrides            settings configured for this collection (CONFIGURE requests)
 * @param lastApplied          the latest applied, reversible, not rolled back remediation (target of ROLLBACK)
 */
public record ScopeRecord(String scope, Remediation active, List<Long> attempts, long lastAttemptMillis,
                          int consecutiveUnverified, boolean suspended, String lastDecision, long lastDecisionMillis,
                          Map<String, String> overrides, Remediation lastApplied) {

    public ScopeRecord {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    }

    public static ScopeRecord empty(String scope) {
        return new ScopeRecord(scope, null, List.of(), 0, 0, false, null, 0, Map.of(), null);
    }

    ScopeRecord withActive(Remediation r) {
        return new ScopeRecord(scope, r, attempts, lastAttemptMillis, consecutiveUnverified, suspended, lastDecision,
                lastDecisionMillis, overrides, lastApplied);
    }

    ScopeRecord decided(String decision, long at) {
        return new ScopeRecord(scope, active, attempts, lastAttemptMillis, consecutiveUnverified, suspended, decision, at,
                overrides, lastApplied);
    }

    ScopeRecord attempted(long at, long window) {
        List<Long> kept = new ArrayList<>();
        for (long t : attempts) {
            if (t > at - window) {
                kept.add(t);
            }
        }
        kept.add(at);
        return new ScopeRecord(scope, active, kept, at, consecutiveUnverified, suspended, lastDecision, lastDecisionMillis,
                overrides, lastApplied);
    }

    ScopeRecord verified(boolean verified, int stopAfter) {
        int unverified = verified ? 0 : consecutiveUnverified + 1;
        return new ScopeRecord(scope, active, attempts, lastAttemptMillis, unverified, suspended || unverified >= stopAfter,
                lastDecision, lastDecisionMillis, overrides, lastApplied);
    }

    ScopeRecord resumed() {
        return new ScopeRecord(scope, active, attempts, lastAttemptMillis, 0, false, lastDecision, lastDecisionMillis,
                overrides, lastApplied);
    }

    /** These overrides in force, with the decision that says so (the processor's CONFIGURE). */
    public ScopeRecord configured(Map<String, String> o, String decision, long at) {
        return new ScopeRecord(scope, active, attempts, lastAttemptMillis, consecutiveUnverified, false, decision,
                at, o, lastApplied);
    }

    ScopeRecord withLastApplied(Remediation r) {
        return new ScopeRecord(scope, active, attempts, lastAttemptMillis, consecutiveUnverified, suspended, lastDecision,
                lastDecisionMillis, overrides, r);
    }

    /** Attempts that still count at {@code now}. */
    public int attemptsWithin(long now, long window) {
        int n = 0;
        for (long t : attempts) {
            if (t > now - window) {
                n++;
            }
        }
        return n;
    }
}
