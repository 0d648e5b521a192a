package io.ruvector.healing.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.healing.classify.ClassifierSettings;
import io.ruvector.healing.classify.ProblemClassifier;
import io.ruvector.healing.learn.WeightLearner;
import io.ruvector.healing.strategy.StrategyRegistry;
import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.EffectiveIntegrityPolicy;
import io.ruvector.schemas.HealingOutcome;
import io.ruvector.schemas.HealingRequest;
import io.ruvector.schemas.HealingRequestType;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.OperationalEdgeType;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.WitnessEdge;
import io.ruvector.schemas.healing.Strategies;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.signing.CanonicalRecordBytes;
import io.ruvector.schemas.signing.RecordSigner;
import io.ruvector.schemas.topic.TopicNames;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The healing engine end to end on the TopologyTestDriver: states, acks and requests in; signed
 * commands and outcomes out; wall-clock time advanced by hand (no sleeping). The test plays the
 * executors (it answers each command with an ack) and the integrity sensor (it sends the states).
 */
class HealingTopologyTest {

    private static final TopicNames TOPICS = TopicNames.DEFAULT;
    private static final long T0 = Instant.parse("2026-12-05T10:00:00Z").toEpochMilli();

    private final SchemaRegistry registry = SchemaRegistries.inMemory();
    private final LatestSamples samples = new LatestSamples();
    private final KeyPair keys = ed25519();
    private final RecordSigner signer = new RecordSigner() {
        @Override
        public String signerId() {
            return "ed25519:test";
        }

        @Override
        public byte[] signBytes(byte[] bytes) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(keys.getPrivate());
                s.update(bytes);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    };
    private TopologyTestDriver driver;
    private TestInputTopic<String, IntegrityState> states;
    private TestInputTopic<String, CommandAck> acks;
    private TestInputTopic<String, HealingRequest> requests;
    private TestOutputTopic<String, RemediationCommand> commands;
    private TestOutputTopic<String, HealingOutcome> outcomes;
    private long now = T0;

    /** Fast cadences for the test: 5 s stabilisation, no minimum interval. */
    private static final HealingSettings FAST = HealingSettings.DEFAULTS.withOverrides(Map.of(
            "stabilisation_seconds", "5", "min_healing_interval_seconds", "0", "sample_freshness_seconds", "30"));

    private void start(HealingSettings settings, Set<String> available) {
        start(settings, available, ClassifierSettings.DEFAULTS);
    }

    private void start(HealingSettings settings, Set<String> available, ClassifierSettings classifier) {
        StrategyRegistry strategies = StrategyRegistry.defaults(available);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "healing-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(HealingTopology.build(TOPICS, registry, settings,
                () -> new RemediationEngine(new ProblemClassifier(classifier), strategies,
                        new WeightLearner(Duration.ofDays(30), true), samples, signer), Duration.ofSeconds(1)),
                props, Instant.ofEpochMilli(T0));
        states = driver.createInputTopic(TOPICS.integrityState(), new StringSerializer(),
                AvroSerde.forValues(registry, IntegrityState.class).serializer());
        acks = driver.createInputTopic(TOPICS.healingAcks(), new StringSerializer(),
                AvroSerde.forValues(registry, CommandAck.class).serializer());
        requests = driver.createInputTopic(TOPICS.healingRequests(), new StringSerializer(),
                AvroSerde.forValues(registry, HealingRequest.class).serializer());
        commands = driver.createOutputTopic(TOPICS.healingCommands(), new StringDeserializer(),
                AvroSerde.forValues(registry, RemediationCommand.class).deserializer());
        outcomes = driver.createOutputTopic(TOPICS.healingOutcomes(), new StringDeserializer(),
                AvroSerde.forValues(registry, HealingOutcome.class).deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void shouldThrottleVerifyAndSignWhenABacklogDegradesTheCollection() throws Exception {
        start(FAST, Set.of(Strategies.THROTTLE_INGESTION));

        sendBacklog(IntegrityLevel.STRESS, 0.4);

        RemediationCommand command = commands.readValue();
        assertThat(command.getStrategy()).isEqualTo(Strategies.THROTTLE_INGESTION);
        assertThat(command.getAction()).isEqualTo(CommandAction.APPLY);
        assertThat(command.getParams()).containsEntry(Strategies.PARAM_ADMIT_FRACTION, "0.5")
                .containsEntry(Strategies.PARAM_BULK_ADMIT_FRACTION, "0.4");
        assertThat(verifies(command)).isTrue();
        assertThat(command.getExpiresAtMillis()).isEqualTo(now + 600_000);

        ack(command, AckStatus.APPLIED);
        advance(3_000);
        assertThat(outcomes.isEmpty()).as("still stabilising").isTrue();
        advance(3_000);
        sendState(IntegrityLevel.STRESS, 0.85, List.of());
        advance(1_000);

        HealingOutcome outcome = outcomes.readValue();
        assertThat(outcome.getProblemClass()).isEqualTo("hotspot_congestion");
        assertThat(outcome.getEvidence()).containsKey("partitions");
        assertThat(outcome.getSuccess()).isTrue();
        assertThat(outcome.getVerified()).isTrue();
        assertThat(outcome.getLambdaBefore()).isEqualTo(0.4);
        assertThat(outcome.getLambdaAfter()).isEqualTo(0.85);
        assertThat(outcome.getImprovement()).isCloseTo(1.125, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(outcome.getWitnessEdges()).isNotEmpty();
        assertThat(verifies(outcome)).isTrue();
        HealingOutcome tampered = HealingOutcome.newBuilder(outcome).setLambdaAfter(0.99).build();
        assertThat(verifies(tampered)).isFalse();
        assertThat(commands.isEmpty()).as("no rollback after a verified remediation").isTrue();
    }

    @Test
    void shouldRollBackLowerTheWeightAndPickAnotherStrategyWhenTheFirstDidNotHelp() {
        start(FAST.withOverrides(Map.of("require_approval_strategies", "")),
                Set.of(Strategies.THROTTLE_INGESTION, Strategies.SCALE_REPLICAS));

        sendBacklog(IntegrityLevel.STRESS, 0.4);
        RemediationCommand first = commands.readValue();
        ack(first, AckStatus.APPLIED);
        advance(6_000);
        sendBacklog(IntegrityLevel.STRESS, 0.41); // no better
        advance(1_000);

        RemediationCommand rollback = commands.readValue();
        assertThat(rollback.getAction()).isEqualTo(CommandAction.ROLLBACK);
        assertThat(rollback.getRollbackOf()).isEqualTo(first.getCommandId());
        assertThat(rollback.getStrategy()).isEqualTo(first.getStrategy());
        ack(rollback, AckStatus.ROLLED_BACK);
        HealingOutcome failed = outcomes.readValue();
        assertThat(failed.getVerified()).isFalse();
        assertThat(failed.getRolledBack()).isTrue();
        assertThat(failed.getLambdaAfter()).isEqualTo(0.41);

        sendBacklog(IntegrityLevel.STRESS, 0.4); // the next incident of the same class
        RemediationCommand second = commands.readValue();
        assertThat(second.getStrategy()).as("the failed strategy's weight fell below the other's")
                .isNotEqualTo(first.getStrategy());
    }

    @Test
    void shouldRefuseTheFourthAttemptWithinAnHourWithTheReason() {
        // failures would otherwise suspend auto-heal after two: this test is about the hourly limit
        start(FAST.withOverrides(Map.of("stop_after_unverified", "10")), Set.of(Strategies.THROTTLE_INGESTION));
        for (int i = 0; i < 3; i++) {
            sendBacklog(IntegrityLevel.STRESS, 0.4);
            RemediationCommand c = commands.readValue();
            ack(c, AckStatus.FAILED);
            assertThat(outcomes.readValue().getSuccess()).isFalse();
            advance(1_000);
        }
        sendBacklog(IntegrityLevel.STRESS, 0.4);
        assertThat(commands.isEmpty()).isTrue();
        String decision = lastDecision("docs");
        assertThat(decision).contains("3 attempts within the last 60 min (limit 3)");

        advance(Duration.ofHours(1).toMillis());
        sendBacklog(IntegrityLevel.STRESS, 0.4);
        assertThat(commands.isEmpty()).as("an hour later the window has room again").isFalse();
    }

    @Test
    void shouldNeverHealAnUnknownProblem() {
        start(FAST, Set.copyOf(Strategies.ALL.subList(0, 5)));
        samples.put(IntegritySample.newBuilder().setCollection("docs").setSampledAtMillis(now)
                .setSource(SampleSource.INDEX).setInstanceId("host-a:8080").build());
        sendState(IntegrityLevel.CRITICAL, 0.2, List.of(edge(OperationalEdgeType.SHARD_LINK, "partition", "1", "instance", "h")));
        assertThat(commands.isEmpty()).isTrue();
        assertThat(lastDecision("docs")).contains("unknown").contains("never healed automatically");
    }

    @Test
    void shouldWaitForApprovalRunOnApproveAndCancelOnAbort() {
        HealingSettings approvalForThrottle = FAST.withOverrides(Map.of("require_approval_strategies", "throttle_ingestion"));
        start(approvalForThrottle, Set.of(Strategies.THROTTLE_INGESTION));

        sendBacklog(IntegrityLevel.STRESS, 0.4);
        assertThat(commands.isEmpty()).as("waits for approval").isTrue();
        String actionId = scope("docs").active().id();
        assertThat(scope("docs").active().phase()).isEqualTo(Phase.AWAITING_APPROVAL);

        request(HealingRequestType.APPROVE, null, Map.of(), false, actionId);
        RemediationCommand approved = commands.readValue();
        assertThat(approved.getCommandId()).isEqualTo(actionId);

        // a second incident: abort cancels it before anything is commanded
        ack(approved, AckStatus.FAILED);
        outcomes.readValue();
        sendBacklog(IntegrityLevel.STRESS, 0.4);
        String second = scope("docs").active().id();
        request(HealingRequestType.ABORT, null, Map.of(), false, second);
        assertThat(commands.isEmpty()).isTrue();
        assertThat(scope("docs").active()).isNull();
        HealingOutcome aborted = outcomes.readValue();
        assertThat(aborted.getError()).contains("aborted by an operator");
        assertThat(aborted.getSuccess()).isFalse();
    }

    @Test
    void shouldChangeNothingAndLearnNothingOnADryRun() {
        start(FAST, Set.of(Strategies.COMPACT_INDEXES));
        sendState(IntegrityLevel.NORMAL, 0.95, List.of());

        request(HealingRequestType.EXECUTE, Strategies.COMPACT_INDEXES, Map.of(), true, null);
        RemediationCommand plan = commands.readValue();
        assertThat(plan.getDryRun()).isTrue();
        ack(plan, AckStatus.APPLIED);

        HealingOutcome outcome = outcomes.readValue();
        assertThat(outcome.getDryRun()).isTrue();
        assertThat(outcome.getVerified()).isFalse();
        assertThat(scope("docs").attempts()).as("a dry run is not an attempt").isEmpty();
        assertThat(scope("docs").active()).isNull();
    }

    @Test
    void shouldFailAndRollBackWhenNoExecutorAnswersInTime() {
        start(FAST, Set.of(Strategies.THROTTLE_INGESTION));
        sendBacklog(IntegrityLevel.CRITICAL, 0.2);
        RemediationCommand command = commands.readValue();
        assertThat(command.getParams()).containsEntry(Strategies.PARAM_ADMIT_FRACTION, "0.1");

        advance(121_000); // 2 × the 60 s estimate, plus a tick

        RemediationCommand rollback = commands.readValue();
        assertThat(rollback.getAction()).isEqualTo(CommandAction.ROLLBACK);
        HealingOutcome outcome = outcomes.readValue();
        assertThat(outcome.getError()).contains("no executor acknowledged");
        assertThat(outcome.getSuccess()).isFalse();
    }

    @Test
    void shouldStopAutoHealingAfterRemediationsThatDidNotImproveLambda() {
        start(FAST, Set.of(Strategies.THROTTLE_INGESTION));
        for (int i = 0; i < 2; i++) {
            sendBacklog(IntegrityLevel.STRESS, 0.4);
            RemediationCommand c = commands.readValue();
            ack(c, AckStatus.APPLIED);
            advance(6_000);
            sendBacklog(IntegrityLevel.STRESS, 0.4);
            advance(1_000);
            ack(commands.readValue(), AckStatus.ROLLED_BACK);
            outcomes.readValue();
        }
        sendBacklog(IntegrityLevel.STRESS, 0.4);
        assertThat(commands.isEmpty()).isTrue();
        assertThat(lastDecision("docs")).contains("suspended");

        sendState(IntegrityLevel.NORMAL, 0.9, List.of());
        assertThat(scope("docs").suspended()).as("normal again resumes automatic healing").isFalse();
    }

    @Test
    void shouldRebalanceFromTheHottestToTheColdestPartitionWhenOneTakesMostWrites() {
        start(FAST, Set.of(Strategies.THROTTLE_INGESTION, Strategies.REBALANCE_PARTITIONS));
        List<PartitionStats> parts = new java.util.ArrayList<>();
        List<WitnessEdge> cut = new java.util.ArrayList<>();
        for (int p = 0; p < 6; p++) {
            parts.add(PartitionStats.newBuilder().setPartition(p).setHost("host-a:8080").setVectorCount(10_000)
                    .setAppliedPerSecond(p == 2 ? 900 : 30).build());
            if (p != 2) { // the cut isolates partition 2: every link from it is a witness
                cut.add(edge(OperationalEdgeType.PARTITION_LINK, "partition", "2", "partition", Integer.toString(p)));
            }
        }
        samples.put(IntegritySample.newBuilder().setCollection("docs").setSampledAtMillis(now)
                .setSource(SampleSource.INDEX).setInstanceId("host-a:8080").setPartitions(parts).build());
        sendState(IntegrityLevel.STRESS, 0.4, cut);

        assertThat(commands.isEmpty()).as("a command; the engine decided: %s", lastDecision("docs")).isFalse();
        RemediationCommand command = commands.readValue();

        assertThat(command.getStrategy()).as("skewed writes: moving buckets beats throttling (lower impact)")
                .isEqualTo(Strategies.REBALANCE_PARTITIONS);
        // partition 2 carries 900 of 1,050 writes/s, 5.1× the mean: its excess (1 − 1/5.1) goes to the other five
        assertThat(command.getParams()).containsEntry(Strategies.PARAM_FROM_PARTITION, "2")
                .containsEntry(Strategies.PARAM_TO_PARTITIONS, "5,4,3,1,0")
                .containsEntry(Strategies.PARAM_MOVE_FRACTION, "0.806");
    }

    @Test
    void shouldVerifyARebalanceOnlyOnceItsRowsHaveSettled() {
        start(FAST, Set.of(Strategies.THROTTLE_INGESTION, Strategies.REBALANCE_PARTITIONS));
        samples.put(skewed("host-a:8080", "host-a:8080", "host-a:8080", "host-a:8080", "host-a:8080", "host-a:8080"));
        sendState(IntegrityLevel.STRESS, 0.2, hotCut());
        RemediationCommand command = commands.readValue();
        assertThat(command.getStrategy()).isEqualTo(Strategies.REBALANCE_PARTITIONS);
        ack(command, AckStatus.APPLIED);

        // 40 s of hand-off: the receivers still take rows in, λ still low (the old owner holds them too)
        for (int i = 0; i < 8; i++) {
            samples.put(handingOff(true));
            advance(5_000);
            sendState(IntegrityLevel.STRESS, 0.2, hotCut());
        }
        assertThat(outcomes.isEmpty()).as("no verdict while rows move: %s", lastDecision("docs")).isTrue();
        assertThat(commands.isEmpty()).as("no rollback while rows move").isTrue();
        assertThat(lastDecision("docs")).contains("rows still moving");

        // settled: λ recovers, and the next verification sees it
        samples.put(handingOff(false));
        for (int i = 0; i < 3; i++) {
            advance(5_000);
            sendState(IntegrityLevel.STRESS, 0.95, List.of());
        }
        assertThat(outcomes.isEmpty()).as("verified once settled: %s", lastDecision("docs")).isFalse();
        HealingOutcome outcome = outcomes.readValue();
        assertThat(outcome.getStrategy()).isEqualTo(Strategies.REBALANCE_PARTITIONS);
        assertThat(outcome.getVerified()).as(lastDecision("docs")).isTrue();
        assertThat(outcome.getRolledBack()).isFalse();
    }

    /** Six partitions on one host, partition 2 still hot; {@code moving}: a hand-off in progress on 2 and 5. */
    private IntegritySample handingOff(boolean moving) {
        IntegritySample sample = skewed("host-a:8080", "host-a:8080", "host-a:8080", "host-a:8080", "host-a:8080",
                "host-a:8080");
        sample.getPartitions().forEach(p -> p.setHandOff(moving && (p.getPartition() == 2 || p.getPartition() == 5)));
        return sample;
    }

    @Test
    void shouldDrainTheHotPartitionsTaskWhenItSharesAnInstanceAnotherCouldRelieve() {
        start(FAST, Set.of(Strategies.THROTTLE_INGESTION, Strategies.REBALANCE_PARTITIONS, Strategies.DRAIN_HOT_PARTITION));
        // partition 2 hot, on host-a with three others; host-b runs two
        samples.put(skewed("host-a:8080", "host-a:8080", "host-a:8080", "host-a:8080", "host-b:8080", "host-b:8080"));
        sendState(IntegrityLevel.STRESS, 0.4, hotCut());

        RemediationCommand command = commands.readValue();

        assertThat(command.getStrategy()).as("a busy shared instance: move the task, not the data")
                .isEqualTo(Strategies.DRAIN_HOT_PARTITION);
        assertThat(command.getParams()).containsEntry(Strategies.PARAM_FROM_PARTITION, "2");
    }

    @Test
    void shouldRebalanceNotDrainWhenTheHotPartitionHasAnInstanceToItself() {
        start(FAST, Set.of(Strategies.THROTTLE_INGESTION, Strategies.REBALANCE_PARTITIONS, Strategies.DRAIN_HOT_PARTITION));
        // host-b runs only the hot partition
        samples.put(skewed("host-a:8080", "host-a:8080", "host-b:8080", "host-a:8080", "host-a:8080", "host-a:8080"));
        sendState(IntegrityLevel.STRESS, 0.4, hotCut());

        assertThat(commands.readValue().getStrategy()).isEqualTo(Strategies.REBALANCE_PARTITIONS);
    }

    /** One partition per host given; partition 2 applies 900 changes/s, the others 30. */
    private IntegritySample skewed(String... hosts) {
        List<PartitionStats> parts = new java.util.ArrayList<>();
        for (int p = 0; p < hosts.length; p++) {
            parts.add(PartitionStats.newBuilder().setPartition(p).setHost(hosts[p]).setVectorCount(10_000)
                    .setAppliedPerSecond(p == 2 ? 900 : 30).build());
        }
        return IntegritySample.newBuilder().setCollection("docs").setSampledAtMillis(now).setSource(SampleSource.INDEX)
                .setInstanceId("host-a:8080").setPartitions(parts).build();
    }

    private static List<WitnessEdge> hotCut() {
        List<WitnessEdge> cut = new java.util.ArrayList<>();
        for (int p : new int[] {0, 1, 3, 4, 5}) { // the cut isolates partition 2
            cut.add(edge(OperationalEdgeType.PARTITION_LINK, "partition", "2", "partition", Integer.toString(p)));
        }
        return cut;
    }

    @Test
    void shouldEvictUnderMemoryPressureInANormalStateAndVerifyByMemory() {
        var d = ClassifierSettings.DEFAULTS;
        start(FAST.withOverrides(Map.of("evict_idle_seconds", "5")),
                Set.of(Strategies.THROTTLE_INGESTION, Strategies.EVICT_COLD_DATA),
                new ClassifierSettings(d.hotspotPartitionLinks(), d.skewCentroidNodes(), d.maintenanceDependencyEdges(),
                        d.memoryBudgetFraction(), 1_000_000, d.fragmentationFraction(), d.lagBudgetFraction()));
        samples.put(memory(950_000)); // 95 % of the budget
        sendState(IntegrityLevel.NORMAL, 0.99, List.of());

        RemediationCommand command = commands.readValue();
        assertThat(command.getStrategy()).isEqualTo(Strategies.EVICT_COLD_DATA);
        assertThat(command.getParams()).containsEntry(Strategies.PARAM_IDLE_SECONDS, "5");
        ack(command, AckStatus.APPLIED);
        advance(6_000);
        samples.put(memory(400_000)); // after the eviction
        sendState(IntegrityLevel.NORMAL, 0.99, List.of());
        advance(1_000);

        HealingOutcome outcome = outcomes.readValue();
        assertThat(outcome.getProblemClass()).isEqualTo("memory_pressure");
        assertThat(outcome.getVerified()).as("memory under the line").isTrue();
        assertThat(commands.isEmpty()).as("no rollback, no second eviction").isTrue();
    }

    @Test
    void shouldRollBackAnEvictionThatLeftTheMemoryOverTheLine() {
        var d = ClassifierSettings.DEFAULTS;
        start(FAST, Set.of(Strategies.EVICT_COLD_DATA),
                new ClassifierSettings(d.hotspotPartitionLinks(), d.skewCentroidNodes(), d.maintenanceDependencyEdges(),
                        d.memoryBudgetFraction(), 1_000_000, d.fragmentationFraction(), d.lagBudgetFraction()));
        samples.put(memory(950_000));
        sendState(IntegrityLevel.NORMAL, 0.99, List.of());
        RemediationCommand command = commands.readValue();
        ack(command, AckStatus.APPLIED);
        advance(6_000);
        samples.put(memory(930_000)); // hardly anything was idle
        sendState(IntegrityLevel.NORMAL, 0.99, List.of());
        advance(1_000);

        RemediationCommand rollback = commands.readValue();
        assertThat(rollback.getAction()).as("λ alone would have called it verified").isEqualTo(CommandAction.ROLLBACK);
        assertThat(rollback.getRollbackOf()).isEqualTo(command.getCommandId());
    }

    /** An index sample of one partition holding {@code bytes} of memory. */
    private IntegritySample memory(long bytes) {
        return IntegritySample.newBuilder().setCollection("docs").setSampledAtMillis(now).setSource(SampleSource.INDEX)
                .setInstanceId("host-a:8080").setPartitions(List.of(PartitionStats.newBuilder().setPartition(0)
                        .setHost("host-a:8080").setVectorCount(10_000).setMemoryBytes(bytes).build())).build();
    }

    @Test
    void shouldThrottleNotRebalanceWhenTheLoadIsEven() {
        start(FAST, Set.of(Strategies.THROTTLE_INGESTION, Strategies.REBALANCE_PARTITIONS));

        sendBacklog(IntegrityLevel.STRESS, 0.4); // a backlog on even partitions: nothing to move

        assertThat(commands.readValue().getStrategy()).isEqualTo(Strategies.THROTTLE_INGESTION);
    }

    @Test
    void shouldPreferAStrategyThatActsNowOverOneAwaitingApproval() {
        start(FAST, Set.of(Strategies.THROTTLE_INGESTION, Strategies.SCALE_REPLICAS));

        sendBacklog(IntegrityLevel.STRESS, 0.4); // scale_replicas has the lower impact (0.2) but waits for approval

        assertThat(commands.readValue().getStrategy()).isEqualTo(Strategies.THROTTLE_INGESTION);
    }

    @Test
    void shouldProposeScaleAndWaitForApprovalWhenNothingElseHandlesTheProblem() {
        start(FAST.withOverrides(Map.of("max_auto_heal_impact", "0.25")),
                Set.of(Strategies.THROTTLE_INGESTION, Strategies.SCALE_REPLICAS));

        sendBacklog(IntegrityLevel.STRESS, 0.4); // throttle (0.4) is above the impact limit

        assertThat(commands.isEmpty()).as("waits for approval").isTrue();
        assertThat(scope("docs").active().strategy()).isEqualTo(Strategies.SCALE_REPLICAS);
        assertThat(scope("docs").active().phase()).isEqualTo(Phase.AWAITING_APPROVAL);
        request(HealingRequestType.APPROVE, null, Map.of(), false, scope("docs").active().id());
        assertThat(commands.readValue().getStrategy()).isEqualTo(Strategies.SCALE_REPLICAS);
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** Partition 0 lags 5× over the record budget; its routing link is the cut. */
    private void sendBacklog(IntegrityLevel level, double lambda) {
        samples.put(IntegritySample.newBuilder().setCollection("docs").setSampledAtMillis(now)
                .setSource(SampleSource.INDEX).setInstanceId("host-a:8080")
                .setPartitions(List.of(PartitionStats.newBuilder().setPartition(0).setHost("host-a:8080")
                        .setVectorCount(1_000).setLagRecords(50_000).setLagMillis(60_000).build(),
                        PartitionStats.newBuilder().setPartition(1).setHost("host-a:8080").setVectorCount(1_000).build()))
                .build());
        sendState(level, lambda, List.of(edge(OperationalEdgeType.ROUTING_LINK, "ingest", "cdc", "partition", "0")));
    }

    private void sendState(IntegrityLevel level, double lambda, List<WitnessEdge> witnesses) {
        EffectiveIntegrityPolicy policy = EffectiveIntegrityPolicy.newBuilder()
                .setThresholdHigh(0.8).setThresholdLow(0.3).setSamplesToStress(3).setSamplesToCritical(2)
                .setRecoveryHoldSeconds(300).setRecoveryMargin(0.1).setCooldownSeconds(60)
                .setLagBudgetRecords(10_000).setLagBudgetMillis(30_000).setLatencyBudgetMicros(50_000)
                .setStandbyLagBudgetRecords(10_000).setErrorRateBudget(0.05).setLoadSkewBudget(3.0)
                .setSource("default").build();
        states.pipeInput("docs", IntegrityState.newBuilder().setScope("docs").setCollection("docs").setState(level)
                .setSinceMillis(T0).setLastSampleMillis(now).setLambda(lambda).setLambdaCut(lambda)
                .setWitnessEdges(witnesses).setPolicy(policy).build(), now);
    }

    private static WitnessEdge edge(OperationalEdgeType type, String st, String sid, String tt, String tid) {
        return WitnessEdge.newBuilder().setEdgeType(type).setSourceType(st).setSourceId(sid).setTargetType(tt)
                .setTargetId(tid).setCapacity(0.1).setFlow(0.1).build();
    }

    private void ack(RemediationCommand c, AckStatus status) {
        acks.pipeInput(c.getCommandId(), CommandAck.newBuilder().setCommandId(c.getCommandId())
                .setCollection(c.getCollection()).setTenant(c.getTenant()).setStrategy(c.getStrategy()).setStatus(status)
                .setExecutor("test").setDetail("done by the test").setDryRun(c.getDryRun()).setAckedAtMillis(now).build(), now);
    }

    private void request(HealingRequestType type, String strategy, Map<String, String> params, boolean dryRun,
                         String actionId) {
        requests.pipeInput("docs", HealingRequest.newBuilder().setRequestId(UUID.randomUUID().toString())
                .setCollection("docs").setType(type).setStrategy(strategy).setParams(params).setDryRun(dryRun)
                .setActionId(actionId).setRequestedAtMillis(now).build(), now);
    }

    private void advance(long millis) {
        // tick by tick, as the wall clock would
        long end = now + millis;
        while (now < end) {
            long step = Math.min(1_000, end - now);
            now += step;
            driver.advanceWallClockTime(Duration.ofMillis(step));
        }
    }

    private ScopeRecord scope(String scope) {
        KeyValueStore<String, ScopeRecord> store = driver.getKeyValueStore(HealingTopology.SCOPES_STORE);
        return store.get(scope);
    }

    private String lastDecision(String scope) {
        return scope(scope).lastDecision();
    }

    private boolean verifies(org.apache.avro.specific.SpecificRecord record) throws GeneralSecurityException {
        Object sig = record.get(record.getSchema().getField("signature").pos());
        if (!(sig instanceof ByteBuffer buffer)) {
            return false;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(keys.getPublic());
        v.update(CanonicalRecordBytes.of(record));
        return v.verify(bytes);
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
