package io.ruvector.schemas.registry;

import org.apache.kafka.common.KafkaException;

/**
 * A schema registry refused or failed a request: unknown id, incompatible schema, id collision,
 * unreachable registry. The message names the registry (URL or schema log topic) and the cause.
 */
public class SchemaRegistryException extends KafkaException {

    private static final long serialVersionUID = 1L;

    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
