package io.ruvector.index.topology;

import io.ruvector.index.store.VectorIndexStoreBuilder;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroUnionSerde;
import io.ruvector.schemas.topic.TopicNames;
import java.util.List;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The index topology: source {@code <prefix>.vectors} → {@link VectorChangeProcessor} with the
 * {@value #STORE_NAME} store attached. One store instance per input partition, which is how the
 * index is partitioned: a key's partition holds that id's only copy, so per-partition top-k lists
 * merge into the global one without de-duplication.
 */
public final class IndexTopology {

    /** Name of the vector index store (and of its changelog, {@code <app id>-vector-index-changelog}). */
    public static final String STORE_NAME = "vector-index";
    static final String SOURCE = "vectors";
    static final String PROCESSOR = "apply-vector-changes";

    private IndexTopology() {
    }

    /** The value serde of the vectors topic: {@code VectorChange}, {@code Watermark} (and {@code DeadLetter}). */
    public static AvroUnionSerde valueSerde(SchemaRegistry registry) {
        return AvroUnionSerde.forValues(registry, List.of(VectorChange.class, Watermark.class, DeadLetter.class));
    }

    /** The topology reading {@code topics.vectors()} with {@code values}. */
    public static Topology build(TopicNames topics, Deserializer<SpecificRecord> values) {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(values, "values");
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), values, topics.vectors());
        topology.addProcessor(PROCESSOR, () -> new VectorChangeProcessor(STORE_NAME), SOURCE);
        topology.addStateStore(new VectorIndexStoreBuilder(STORE_NAME), PROCESSOR);
        return topology;
    }
}
