package io.ruvector.integrity.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.integrity.Fixtures;
import io.ruvector.integrity.IntegrityService;
import io.ruvector.integrity.gate.GateDecision;
import io.ruvector.integrity.gate.GateMatrix;
import io.ruvector.integrity.signing.EventSigner;
import io.ruvector.integrity.signing.EventVerifier;
import io.ruvector.integrity.signing.SigningKeys;
import io.ruvector.schemas.GateAction;
import io.ruvector.schemas.GateRule;
import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.IntegrityEventType;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegrityPolicy;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.RiskLevel;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The integrity topology on the {@link TopologyTestDriver}: scripted sample rounds in, signed events and state out. */
class IntegrityTopologyTest {

    private static final long ROUND = 10_000;
    private static final TopicNames TOPICS = TopicNames.DEFAULT;

    @TempDir
    Path stateDir;

    private final SchemaRegistry registry = SchemaRegistries.inMemory();
    private final SigningKeys keys = SigningKeys.generate();
    private TopologyTestDriver driver;
    private TestInputTopic<String, IntegritySample> samples;
    private TestInputTopic<String, IntegrityPolicy> policies;
    private TestOutputTopic<String, IntegrityEvent> events;
    private TestOutputTopic<String, IntegrityState> states;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "integrity-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(IntegrityTopology.build(TOPICS, registry, IntegritySettings.DEFAULTS,
                new EventSigner(keys)), props);
        samples = driver.createInputTopic(TOPICS.integritySamples(), new StringSerializer(),
                AvroSerde.forValues(registry, IntegritySample.class).serializer());
        policies = driver.createInputTopic(TOPICS.integrityPolicies(), new StringSerializer(),
                AvroSerde.forValues(registry, IntegrityPolicy.class).serializer());
        events = driver.createOutputTopic(TOPICS.integrityEvents(), new StringDeserializer(),
                AvroSerde.forValues(registry, IntegrityEvent.class).deserializer());
        states = driver.createOutputTopic(TOPICS.integrityState(), new StringDeserializer(),
                AvroSerde.forValues(registry, IntegrityState.class).deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    /** Pipes a round of samples (two index instances and the capture) of {@code collection} at round {@code k}. */
    private void round(int k, List<IntegritySample> round) {
        for (IntegritySample s : round) {
            s.setSampledAtMillis(k * ROUND);
            samples.pipeInput(s.getCollection(), s, k * ROUND);
        }
    }

    private static List<IntegritySample> lagging(String collection, String tenant) {
        return Fixtures.withPartition(Fixtures.healthy(collection, tenant, 0), 5, p -> p.setLagRecords(50_000L));
    }

    @Test
    void shouldEmitOneSignedSampleEventPerRoundWhenCollectionIsHealthy() {
        for (int k = 0; k < 3; k++) {
            round(k, Fixtures.healthy("c", null, 0));
        }

        List<IntegrityEvent> out = events.readValuesToList();
        assertThat(out).hasSize(3).allSatisfy(e -> {
            assertThat(e.getEventType()).isEqualTo(IntegrityEventType.SAMPLE);
            assertThat(e.getCollection()).isEqualTo("c");
            assertThat(e.getNewState()).isEqualTo(IntegrityLevel.NORMAL);
        });
        EventVerifier verifier = new EventVerifier(SigningKeys.publicKeyFromBase64(keys.publicKeyBase64()));
        assertThat(out).allSatisfy(e -> assertThat(verifier.verify(e).isValid()).isTrue());
        IntegrityEvent last = out.getLast();
        assertThat(last.getLambda()).isGreaterThan(0.95);
        assertThat(last.getMetadata()).containsEntry("partitions", "12").containsEntry("nodes", "93")
                .containsEntry("samples", "3");
        assertThat(last.getCreatedAtMillis()).isEqualTo(2 * ROUND);
        assertThat(last.getExpiresAtMillis()).isEqualTo(2 * ROUND + 30_000);
        IntegrityState state = states.readKeyValuesToMap().get("c");
        assertThat(state.getState()).isEqualTo(IntegrityLevel.NORMAL);
        assertThat(state.getGates()).extracting(GateRule::getAction).containsOnly(GateAction.ALLOW);
        assertThat(stateStore().get("c")).isEqualTo(state);
    }

    @Test
    void shouldEnterStressOnTheThirdBadRoundAndNameTheLaggingPartitionWhenOnePartitionLags() {
        round(0, Fixtures.healthy("c", null, 0));
        round(1, lagging("c", null));
        round(2, lagging("c", null));
        assertThat(events.readValuesToList()).extracting(IntegrityEvent::getEventType)
                .containsOnly(IntegrityEventType.SAMPLE);

        round(3, lagging("c", null));

        List<IntegrityEvent> out = events.readValuesToList();
        assertThat(out).extracting(IntegrityEvent::getEventType)
                .containsExactly(IntegrityEventType.SAMPLE, IntegrityEventType.STATE_CHANGE);
        IntegrityEvent change = out.getLast();
        assertThat(change.getPreviousState()).isEqualTo(IntegrityLevel.NORMAL);
        assertThat(change.getNewState()).isEqualTo(IntegrityLevel.STRESS);
        assertThat(change.getLambda()).isLessThan(0.8);
        assertThat(change.getMetadata().get("blockedOperations").split(","))
                .containsExactly("index_rebuild", "compaction", "tier_demotion", "shard_move", "rebalance");
        assertThat(change.getMetadata()).containsEntry("transitionAtMillis", Long.toString(3 * ROUND))
                .containsEntry("weakestPartition", "5").containsEntry("weakestPartitionHealth", "0.0");
        assertThat(change.getWitnessEdges()).allSatisfy(w -> assertThat(List.of(w.getSourceType() + ":" + w.getSourceId(),
                w.getTargetType() + ":" + w.getTargetId())).contains("partition:5"));
        assertThat(new EventVerifier(keys.publicKey()).verify(change).isValid()).isTrue();

        IntegrityState state = states.readKeyValuesToMap().get("c");
        assertThat(state.getState()).isEqualTo(IntegrityLevel.STRESS);
        assertThat(state.getTransitions()).singleElement().satisfies(t -> assertThat(t.getAtMillis()).isEqualTo(3 * ROUND));
        assertThat(state.getGates()).filteredOn(g -> g.getRisk() == RiskLevel.HIGH).singleElement()
                .satisfies(g -> {
                    assertThat(g.getAction()).isEqualTo(GateAction.DEFER);
                    assertThat(g.getDeferMillis()).isEqualTo(300_000);
                });
    }

    @Test
    void shouldKeepTenantStatesIndependentWhenOnlyOneTenantDegrades() {
        for (int k = 0; k < 4; k++) {
            round(k, Fixtures.healthy("c", null, 0));
            round(k, lagging("c", "t1"));
            round(k, Fixtures.healthy("c", "t2", 0));
        }

        KeyValueStore<String, IntegrityState> store = stateStore();
        assertThat(store.get("c").getState()).isEqualTo(IntegrityLevel.NORMAL);
        assertThat(store.get("c/t1").getState()).isEqualTo(IntegrityLevel.STRESS);
        assertThat(store.get("c/t1").getTenant()).isEqualTo("t1");
        assertThat(store.get("c/t2").getState()).isEqualTo(IntegrityLevel.NORMAL);
        assertThat(events.readValuesToList()).filteredOn(e -> e.getEventType() == IntegrityEventType.STATE_CHANGE)
                .singleElement().extracting(IntegrityEvent::getTenant).isEqualTo("t1");
    }

    @Test
    void shouldApplyAndAnnounceACollectionPolicyWhenOneArrives() {
        round(0, Fixtures.healthy("c", null, 0));
        policies.pipeInput("c", IntegrityPolicy.newBuilder().setCollection("c").setThresholdHigh(0.7)
                .setThresholdLow(0.2).setUpdatedAtMillis(5_000).build());
        for (int k = 1; k <= 4; k++) {
            round(k, lagging("c", null)); // λ ≈ 0.77: below the default 0.8, above the override 0.7
        }

        List<IntegrityEvent> out = events.readValuesToList();
        assertThat(out).filteredOn(e -> e.getEventType() == IntegrityEventType.POLICY_UPDATE).singleElement()
                .satisfies(e -> {
                    assertThat(e.getCreatedAtMillis()).isEqualTo(ROUND);
                    assertThat(e.getMetadata().get("policy")).contains("\"thresholdHigh\": 0.7");
                });
        assertThat(out).noneMatch(e -> e.getEventType() == IntegrityEventType.STATE_CHANGE);
        IntegrityState state = stateStore().get("c");
        assertThat(state.getState()).isEqualTo(IntegrityLevel.NORMAL);
        assertThat(state.getPolicy().getThresholdHigh()).isEqualTo(0.7);
        assertThat(state.getPolicy().getSource()).isEqualTo("collection");
    }

    @Test
    void shouldPreferTheTenantPolicyOverTheCollectionPolicyWhenBothExist() {
        policies.pipeInput("c", IntegrityPolicy.newBuilder().setCollection("c").setThresholdHigh(0.7)
                .setThresholdLow(0.2).setUpdatedAtMillis(0).build());
        policies.pipeInput("c/t1", IntegrityPolicy.newBuilder().setCollection("c").setTenant("t1")
                .setThresholdHigh(0.85).setUpdatedAtMillis(0).build());
        for (int k = 0; k < 4; k++) {
            round(k, lagging("c", null));
            round(k, lagging("c", "t1"));
        }

        assertThat(stateStore().get("c").getState()).isEqualTo(IntegrityLevel.NORMAL);
        IntegrityState tenant = stateStore().get("c/t1");
        assertThat(tenant.getState()).isEqualTo(IntegrityLevel.STRESS);
        assertThat(tenant.getPolicy().getSource()).isEqualTo("tenant");
        assertThat(tenant.getPolicy().getThresholdLow()).isEqualTo(0.2); // inherited from the collection
    }

    @Test
    void shouldLeaveOutAReporterWhoseLatestSampleIsStale() {
        round(0, Fixtures.healthy("c", null, 0));
        events.readValuesToList();
        for (int k = 1; k <= 4; k++) {
            // index instance 1 falls silent: its round-0 sample is 40 s old at round 4
            round(k, Fixtures.healthy("c", null, 0).stream()
                    .filter(s -> s.getSource() == SampleSource.CDC || s.getInstanceId().equals(
                            SamplingStepBenchmark.host(0))).toList());
        }

        // Rounds wait for the silent reporter until 1.5 cadences have passed: evaluations at 20 s and 40 s.
        List<IntegrityEvent> out = events.readValuesToList();
        assertThat(out).extracting(IntegrityEvent::getCreatedAtMillis).containsExactly(2 * ROUND, 4 * ROUND);
        assertThat(out.get(0).getMetadata()).containsEntry("partitions", "12"); // its sample is 20 s old: still fresh
        assertThat(out.get(1).getMetadata()).containsEntry("partitions", "6");  // 40 s old: left out
    }

    @Test
    void shouldAnswerStateHistoryAndGatesWhenTheServiceReadsTheStateStore() {
        KeyValueStore<String, IntegrityState> store = stateStore();
        IntegrityService service = new IntegrityService((collection, key) -> Optional.ofNullable(store.get(key)), keys,
                GateMatrix.DEFAULTS);
        assertThat(service.gate("c", null, "rebalance")).isEqualTo(GateDecision.ALLOW); // never evaluated: NORMAL

        round(0, Fixtures.healthy("c", null, 0));
        for (int k = 1; k <= 3; k++) {
            round(k, lagging("c", null));
        }

        assertThat(service.state("c", null)).get().extracting(IntegrityState::getState).isEqualTo(IntegrityLevel.STRESS);
        assertThat(service.history("c", null)).singleElement().satisfies(t -> {
            assertThat(t.getFrom()).isEqualTo(IntegrityLevel.NORMAL);
            assertThat(t.getTo()).isEqualTo(IntegrityLevel.STRESS);
        });
        assertThat(service.gate("c", null, "search")).isEqualTo(GateDecision.ALLOW);
        assertThat(service.gate("c", null, "bulk_insert")).isEqualTo(new GateDecision.Throttle(0.5));
        assertThat(service.gate("c", null, "index_rebuild")).isEqualTo(new GateDecision.Defer(Duration.ofSeconds(300)));
        assertThat(service.gate("c", "unseen-tenant", "index_rebuild"))
                .isEqualTo(new GateDecision.Defer(Duration.ofSeconds(300))); // falls back to the collection
        assertThat(service.signerId()).isEqualTo(keys.signerId());
        assertThat(events.readValuesToList()).allSatisfy(e -> assertThat(service.verifier().verify(e).isValid()).isTrue());
    }

    private KeyValueStore<String, IntegrityState> stateStore() {
        return driver.getKeyValueStore(IntegrityTopology.STATE_STORE);
    }
}
