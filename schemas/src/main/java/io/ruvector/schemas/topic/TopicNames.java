package io.ruvector.schemas.topic;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The topic map of ARCHITECTURE.md §2 under one prefix: the contract between modules.
 *
 * @param prefix topic name prefix, {@code ruvector} by default
 */
public record TopicNames(String prefix) {

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    public static final TopicNames DEFAULT = new TopicNames("ruvector");

    public TopicNames {
        Objects.requireNonNull(prefix, "prefix");
        if (!LEGAL.matcher(prefix).matches()) {
            throw new IllegalArgumentException("topic prefix '" + prefix + "' must match " + LEGAL.pattern());
        }
    }

    public String collections() {
        return prefix + ".collections";
    }

    public String vectors() {
        return prefix + ".vectors";
    }

    public String vectorsDeadLetters() {
        return prefix + ".vectors.dlq";
    }

    public String partitionMap() {
        return prefix + ".partition-map";
    }

    public String integritySamples() {
        return prefix + ".integrity.samples";
    }

    public String integrityEvents() {
        return prefix + ".integrity.events";
    }

    public String integrityState() {
        return prefix + ".integrity.state";
    }

    /** Per-collection and per-tenant overrides of the integrity defaults (compacted; key collection[/tenant]). */
    public String integrityPolicies() {
        return prefix + ".integrity.policies";
    }

    /** Commands of the healing engine to the executors (key collection). */
    public String healingCommands() {
        return prefix + ".healing.commands";
    }

    /** Executors' answers to healing commands (key command id). */
    public String healingAcks() {
        return prefix + ".healing.acks";
    }

    /** Signed records of every remediation (key collection). */
    public String healingOutcomes() {
        return prefix + ".healing.outcomes";
    }

    /** Operators' requests to the healing engine: trigger, execute, approve, abort, rollback, configure (key collection). */
    public String healingRequests() {
        return prefix + ".healing.requests";
    }

    /** Debezium's change-event topic prefix ({@code <prefix>.cdc.<schema>.<table>}). */
    public String cdcPrefix() {
        return prefix + ".cdc";
    }

    /** Debezium offsets of one capture deployment; lives on the same cluster as the data. */
    public String captureOffsets(String deployment) {
        return prefix + ".capture." + deployment + ".offsets";
    }

    /** Tables of one capture deployment whose snapshot was requested and has not finished (compacted). */
    public String captureSnapshots(String deployment) {
        return prefix + ".capture." + deployment + ".snapshots";
    }

    /** Key of a vectors/DLQ record: collection and id (collection names never contain '/'). */
    public static String vectorKey(String collection, String id) {
        return collection + "/" + id;
    }
}
