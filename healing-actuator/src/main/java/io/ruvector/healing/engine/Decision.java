package io.ruvector.healing.engine;

/**
 * What the engine decided on one operator request, kept briefly so that the HTTP API and the CLI
 * can answer the request with the decision instead of "accepted".
 *
 * @param actionId the remediation the request started or touched, null when none
 */
public record Decision(String requestId, String scope, String decision, String actionId, long atMillis) {
}
