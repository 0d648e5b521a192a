package io.ruvector.healing.engine;

/** Where a remediation stands. */
public enum Phase {
    /** Chosen, waiting for an operator's approve (or abort). */
    AWAITING_APPROVAL,
    /** Command sent, waiting for the executor's ack (timeout 2× the strategy's estimate). */
    COMMANDED,
    /** Applied; waiting for the system to settle before λ is read again. */
    STABILISING,
    /** Not verified (or aborted): the rollback command is out, waiting for its ack. */
    ROLLING_BACK
}
