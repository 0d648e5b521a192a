package io.ruvector.healing.engine;

import io.ruvector.healing.engine.internal.HealingProcessor;
import io.ruvector.healing.engine.internal.JsonCodec;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.HealingOutcome;
import io.ruvector.schemas.HealingRequest;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.topic.TopicNames;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The healing engine as a Kafka Streams topology:
 * <pre>
 *   integrity.state ──┐
 *   healing.acks ─────┼─▶ heal ──▶ healing.commands (signed RemediationCommand, key collection)
 *   healing.requests ─┘    │  └──▶ healing.outcomes (signed HealingOutcome, key collection)
 *                          stores: healing-scopes, healing-integrity, healing-outcomes, healing-decisions
 * </pre>
 * All three inputs have one partition, so one task holds every scope. The stores are persistent
 * and changelogged, and the application runs exactly-once, so a command, the store write that
 * remembers it and the input offset commit together: a runtime killed mid-remediation resumes the
 * remediation after a restart and never issues it twice.
 */
public final class HealingTopology {

    public static final String SCOPES_STORE = "healing-scopes";
    public static final String INTEGRITY_STORE = "healing-integrity";
    public static final String OUTCOMES_STORE = "healing-outcomes";
    public static final String DECISIONS_STORE = "healing-decisions";
    public static final String COMMANDS_SINK = "commands";
    public static final String OUTCOMES_SINK = "outcomes";
    static final String PROCESSOR = "heal";

    private HealingTopology() {
    }

    public static Topology build(TopicNames topics, SchemaRegistry registry, HealingSettings defaults,
                                 Supplier<RemediationEngine> engines, Duration tick) {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(engines, "engines");
        AvroSerde<IntegrityState> states = AvroSerde.forValues(registry, IntegrityState.class);
        AvroSerde<CommandAck> acks = AvroSerde.forValues(registry, CommandAck.class);
        AvroSerde<HealingRequest> requests = AvroSerde.forValues(registry, HealingRequest.class);
        AvroSerde<RemediationCommand> commands = AvroSerde.forValues(registry, RemediationCommand.class);
        AvroSerde<HealingOutcome> outcomes = AvroSerde.forValues(registry, HealingOutcome.class);

        Topology t = new Topology();
        t.addSource("states", Serdes.String().deserializer(), states.deserializer(), topics.integrityState());
        t.addSource("acks", Serdes.String().deserializer(), acks.deserializer(), topics.healingAcks());
        t.addSource("requests", Serdes.String().deserializer(), requests.deserializer(), topics.healingRequests());
        t.addProcessor(PROCESSOR, () -> new HealingProcessor(engines.get(), defaults, tick), "states", "acks", "requests");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCOPES_STORE), Serdes.String(),
                JsonCodec.serde(ScopeRecord.class)), PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INTEGRITY_STORE), Serdes.String(),
                states), PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OUTCOMES_STORE), Serdes.String(),
                outcomes), PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DECISIONS_STORE), Serdes.String(),
                JsonCodec.serde(Decision.class)), PROCESSOR);
        t.addSink(COMMANDS_SINK, topics.healingCommands(), Serdes.String().serializer(),
                narrowing(commands, RemediationCommand.class), PROCESSOR);
        t.addSink(OUTCOMES_SINK, topics.healingOutcomes(), Serdes.String().serializer(),
                narrowing(outcomes, HealingOutcome.class), PROCESSOR);
        return t;
    }

    /** Key of an outcome in the outcomes store: scope, completion time (sortable), id. */
    public static String outcomeKey(String scope, long completedAtMillis, String id) {
        return scope + "|" + String.format("%013d", completedAtMillis) + "|" + id;
    }

    private static <T extends SpecificRecord> Serializer<SpecificRecord> narrowing(AvroSerde<T> serde, Class<T> type) {
        return (topic, value) -> serde.serialize(topic, type.cast(value));
    }
}
