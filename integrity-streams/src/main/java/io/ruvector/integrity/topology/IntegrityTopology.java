package io.ruvector.integrity.topology;

import io.ruvector.integrity.signing.EventSigner;
import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.IntegrityPolicy;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.topic.TopicNames;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The integrity topology:
 * <pre>
 *   integrity.samples ──▶ evaluate-samples ──▶ integrity.events (signed IntegrityEvent, key collection)
 *                          │  stores: integrity-samples, integrity-state, └─▶ integrity.state (key scope)
 *                          │          integrity-baselines
 *   integrity.policies ─▶ (global) integrity-policies
 * </pre>
 * The samples, state and baselines stores are persistent (RocksDB) and changelogged, so a moved or restarted
 * task resumes with every reporter's latest sample and the hysteresis counters. The samples topic
 * is keyed by collection, so all scopes of a collection, tenants included, live in one task.
 */
public final class IntegrityTopology {

    public static final String SAMPLES_STORE = "integrity-samples";
    /** The current {@code IntegrityState} by scope key; what {@code IntegrityService} queries. */
    public static final String STATE_STORE = "integrity-state";
    public static final String POLICY_STORE = "integrity-policies";
    /** Each scope's {@code Baseline} (centroid shape and row distribution) by scope key, as bytes. */
    public static final String BASELINE_STORE = "integrity-baselines";
    static final String SOURCE = "samples";
    static final String POLICY_SOURCE = "policies";
    static final String PROCESSOR = "evaluate-samples";
    static final String EVENTS_SINK = "events";
    static final String STATE_SINK = "state";

    private IntegrityTopology() {
    }

    public static Topology build(TopicNames topics, SchemaRegistry registry, IntegritySettings settings,
                                 EventSigner signer) {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(signer, "signer");
        AvroSerde<IntegritySample> sampleSerde = AvroSerde.forValues(registry, IntegritySample.class);
        AvroSerde<IntegrityState> stateSerde = AvroSerde.forValues(registry, IntegrityState.class);
        AvroSerde<IntegrityEvent> eventSerde = AvroSerde.forValues(registry, IntegrityEvent.class);
        AvroSerde<IntegrityPolicy> policySerde = AvroSerde.forValues(registry, IntegrityPolicy.class);

        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), sampleSerde.deserializer(),
                topics.integritySamples());
        topology.addProcessor(PROCESSOR, () -> new SampleProcessor(settings, signer), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SAMPLES_STORE),
                Serdes.String(), sampleSerde), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATE_STORE),
                Serdes.String(), stateSerde), PROCESSOR);
        // Persistent and changelogged like the others: a restarted app keeps scoring against the
        // baseline it had, instead of adopting whatever shape the collection has at restart.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BASELINE_STORE),
                Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        topology.addSink(EVENTS_SINK, topics.integrityEvents(), Serdes.String().serializer(),
                narrowing(eventSerde, IntegrityEvent.class), PROCESSOR);
        topology.addSink(STATE_SINK, topics.integrityState(), Serdes.String().serializer(),
                narrowing(stateSerde, IntegrityState.class), PROCESSOR);
        // A global store is restored from its source topic, which is its changelog already.
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(POLICY_STORE),
                        Serdes.String(), policySerde).withLoggingDisabled(),
                POLICY_SOURCE, Serdes.String().deserializer(), policySerde.deserializer(),
                topics.integrityPolicies(), POLICY_SOURCE + "-loader", PolicyLoader::new);
        return topology;
    }

    /** The processor forwards {@link SpecificRecord}s; each sink takes one type. */
    private static <T extends SpecificRecord> Serializer<SpecificRecord> narrowing(AvroSerde<T> serde, Class<T> type) {
        return (topic, value) -> serde.serialize(topic, type.cast(value));
    }
}
