package io.ruvector.index.topology;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.store.GraphMaintenance;
import io.ruvector.index.store.VectorIndexStoreBuilder;
import io.ruvector.index.telemetry.MaintenanceJobs;
import io.ruvector.index.telemetry.PartitionActivity;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.registry.RuvectorSchemas;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.serde.AvroUnionSerde;
import io.ruvector.schemas.topic.TopicNames;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The index topology: source {@code <prefix>.vectors} → {@link VectorChangeProcessor} with the
 * {@value #STORE_NAME} store attached. One store instance per input partition, which is how the
 * index is partitioned: a key's partition holds that id's only copy, except while its bucket is
 * handed to another partition (docs/topics.md, Bucket hand-off), when {@code TransitMerge} settles
 * the two copies.
 *
 * <p>The compacted {@code <prefix>.collections} topic feeds the global store
 * {@value #SPECS_STORE_NAME} (every instance holds every spec), from which each partition reads a
 * collection's HNSW {@code m}, {@code ef_construction} and metric. The topic must exist before the
 * application starts ({@code IndexService.start} creates it if missing).
 */
public final class IndexTopology {

    /** Name of the vector index store (and of its changelog, {@code <app id>-vector-index-changelog}). */
    public static final String STORE_NAME = "vector-index";
    /** Name of the global store of collection specs (in memory, rebuilt from the collections topic). */
    public static final String SPECS_STORE_NAME = "collection-specs";
    static final String SOURCE = "vectors";
    static final String PROCESSOR = "apply-vector-changes";
    static final String SPECS_SOURCE = "collections";
    static final String HANDOFF_SINK = "hand-off";
    static final String SPECS_PROCESSOR = "update-collection-specs";

    private IndexTopology() {
    }

    /** The value serde of the vectors topic: {@code VectorChange}, {@code Watermark} (and {@code DeadLetter}). */
    public static AvroUnionSerde valueSerde(SchemaRegistry registry) {
        List<Class<? extends org.apache.avro.specific.SpecificRecord>> types =
                new java.util.ArrayList<>(RuvectorSchemas.VECTORS_TOPIC_TYPES);
        types.add(DeadLetter.class);
        return AvroUnionSerde.forValues(registry, types);
    }

    /** The topology with default settings and no background graph cleanup (see {@link GraphMaintenance#manual()}). */
    public static Topology build(TopicNames topics, SchemaRegistry registry) {
        return build(topics, registry, HnswSettings.DEFAULT, GraphMaintenance.manual());
    }

    /**
     * The topology reading {@code topics.vectors()} and {@code topics.collections()}; its stores
     * register with {@code maintenance}, which the caller owns and closes. Its telemetry goes
     * nowhere.
     */
    public static Topology build(TopicNames topics, SchemaRegistry registry, HnswSettings settings,
                                 GraphMaintenance maintenance) {
        return build(topics, registry, settings, maintenance, new PartitionActivity(), new MaintenanceJobs());
    }

    /**
     * As {@link #build(TopicNames, SchemaRegistry, HnswSettings, GraphMaintenance)}, with each
     * partition's applies and queries counted in {@code activity} and its graph rebuilds and
     * cleanups listed in {@code jobs} while they run (what {@code IndexTelemetry} samples).
     */
    public static Topology build(TopicNames topics, SchemaRegistry registry, HnswSettings settings,
                                 GraphMaintenance maintenance, PartitionActivity activity, MaintenanceJobs jobs) {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(maintenance, "maintenance");
        Objects.requireNonNull(activity, "activity");
        Objects.requireNonNull(jobs, "jobs");
        AvroSerde<CollectionSpec> specs = AvroSerde.forValues(registry, CollectionSpec.class);
        Topology topology = new Topology();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SPECS_STORE_NAME), Serdes.String(), specs)
                        .withLoggingDisabled(), // the compacted topic is its changelog
                SPECS_SOURCE, Serdes.String().deserializer(), specs, topics.collections(), SPECS_PROCESSOR,
                CollectionSpecUpdater::new);
        topology.addSource(SOURCE, Serdes.String().deserializer(), valueSerde(registry).deserializer(), topics.vectors());
        topology.addProcessor(PROCESSOR,
                () -> new VectorChangeProcessor(STORE_NAME, settings.specRefreshInterval(), activity), SOURCE);
        // hand-off copies, signals and fenced changes go back into the vectors topic, to the partition they name
        topology.addSink(HANDOFF_SINK, topics.vectors(), Serdes.String().serializer(),
                Routed.serializer(valueSerde(registry).serializer()), Routed.partitioner(), PROCESSOR);
        topology.addStateStore(new VectorIndexStoreBuilder(STORE_NAME, settings, maintenance, activity, jobs), PROCESSOR);
        return topology;
    }
}
