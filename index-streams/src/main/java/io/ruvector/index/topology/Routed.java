package io.ruvector.index.topology;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * A record the index sends back into the vectors topic (a hand-off copy, signal or fenced change)
 * with the partition it must reach: the partition is the index's routing, not the key's hash.
 */
record Routed(int partition, SpecificRecord value) {

    Routed {
        Objects.requireNonNull(value, "value");
    }

    /** Serialises the wrapped value with {@code values}. */
    static Serializer<Routed> serializer(Serializer<SpecificRecord> values) {
        return (topic, routed) -> routed == null ? null : values.serialize(topic, routed.value());
    }

    /** Sends each record to its {@link #partition()}. */
    static StreamPartitioner<String, Routed> partitioner() {
        return (topic, key, value, numPartitions) -> Optional.of(Set.of(value.partition()));
    }
}
