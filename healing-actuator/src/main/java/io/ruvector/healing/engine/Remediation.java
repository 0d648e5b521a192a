package io.ruvector.healing.engine;

import java.util.List;
import java.util.Map;

/**
 * One remediation of a scope, from the choice of a strategy to its outcome; kept in the engine's
 * changelogged store so that a restart resumes it (waits for the ack, times out, verifies or
 * rolls back) instead of forgetting or repeating it.
 *
 * @param id             remediation id, also the id of its APPLY command
 * @param problemClass   what the classifier decided (or {@code manual} for an operator's execute)
 * @param evidence       the classifier's evidence
 * @param trigger        auto, trigger (operator asked to heal now), execute (operator chose the strategy)
 * @param phaseSinceMillis when the current phase began
 * @param deadlineMillis when the current phase times out (ack timeout, stabilisation end)
 * @param rollbackCommandId the ROLLBACK command once one is out
 * @param lambdaBefore   λ when the remediation began
 * @param applied        the executor acked APPLIED
 * @param aborted        an operator aborted it
 * @param error          why it failed, when it did
 * @param lambdaAfter    λ read after the stabilisation wait, once read
 */
public record Remediation(String id, String scope, String collection, String tenant, String problemClass,
                          Map<String, String> evidence, String strategy, Map<String, String> params, String trigger,
                          boolean dryRun, boolean reversible, Phase phase, long startedAtMillis, long phaseSinceMillis,
                          long deadlineMillis, String rollbackCommandId, double lambdaBefore, List<Witness> witnessEdges,
                          Map<String, String> ackDetails, boolean applied, boolean aborted, String error,
                          Double lambdaAfter) {

    public Remediation {
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
        params = params == null ? Map.of() : Map.copyOf(params);
        witnessEdges = witnessEdges == null ? List.of() : List.copyOf(witnessEdges);
        ackDetails = ackDetails == null ? Map.of() : Map.copyOf(ackDetails);
    }

    Remediation inPhase(Phase next, long since, long deadline) {
        return new Remediation(id, scope, collection, tenant, problemClass, evidence, strategy, params, trigger, dryRun,
                reversible, next, startedAtMillis, since, deadline, rollbackCommandId, lambdaBefore, witnessEdges,
                ackDetails, applied, aborted, error, lambdaAfter);
    }

    Remediation appliedWith(Map<String, String> details) {
        return new Remediation(id, scope, collection, tenant, problemClass, evidence, strategy, params, trigger, dryRun,
                reversible, phase, startedAtMillis, phaseSinceMillis, deadlineMillis, rollbackCommandId, lambdaBefore,
                witnessEdges, details, true, aborted, error, lambdaAfter);
    }

    Remediation rollingBack(String rollbackId, long since, long deadline, boolean byOperator) {
        return new Remediation(id, scope, collection, tenant, problemClass, evidence, strategy, params, trigger, dryRun,
                reversible, Phase.ROLLING_BACK, startedAtMillis, since, deadline, rollbackId, lambdaBefore, witnessEdges,
                ackDetails, applied, aborted || byOperator, error, lambdaAfter);
    }

    Remediation measured(Double after) {
        return new Remediation(id, scope, collection, tenant, problemClass, evidence, strategy, params, trigger, dryRun,
                reversible, phase, startedAtMillis, phaseSinceMillis, deadlineMillis, rollbackCommandId, lambdaBefore,
                witnessEdges, ackDetails, applied, aborted, error, after);
    }

    Remediation failing(String why) {
        return new Remediation(id, scope, collection, tenant, problemClass, evidence, strategy, params, trigger, dryRun,
                reversible, phase, startedAtMillis, phaseSinceMillis, deadlineMillis, rollbackCommandId, lambdaBefore,
                witnessEdges, ackDetails, applied, aborted, why, lambdaAfter);
    }
}
