package io.ruvector.schemas.serde;

import org.apache.avro.Schema;

/**
 * How a serializer names the registry subject it registers its writer schema under. The same
 * three strategies as the Confluent serializers, so that a Confluent registry's per-subject
 * compatibility checks mean the same thing for our topics as for theirs.
 */
public enum SubjectNameStrategy {
    /** {@code <topic>-value} / {@code <topic>-key}: one record type per topic. */
    TOPIC_NAME,
    /**
     * {@code <topic>-<record full name>}: for topics that carry several record types (the
     * vectors topic carries VectorChange and Watermark); each type evolves on its own.
     */
    TOPIC_RECORD_NAME,
    /** {@code <record full name>}: one subject per type across all topics. */
    RECORD_NAME;

    /** The subject for a record of {@code schema} written to {@code topic}. */
    public String subject(String topic, boolean isKey, Schema schema) {
        return switch (this) {
            case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
            case TOPIC_RECORD_NAME -> topic + "-" + schema.getFullName();
            case RECORD_NAME -> schema.getFullName();
        };
    }
}
