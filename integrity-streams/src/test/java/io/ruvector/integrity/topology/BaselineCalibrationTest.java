package io.ruvector.integrity.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.integrity.contract.Baseline;
import io.ruvector.integrity.contract.ContractedGraphBuilder;
import io.ruvector.integrity.contract.GraphBudgets;
import io.ruvector.integrity.contract.Telemetry;
import io.ruvector.integrity.lambda.LambdaMeter;
import io.ruvector.integrity.signing.EventSigner;
import io.ruvector.integrity.signing.SigningKeys;
import io.ruvector.schemas.CdcStats;
import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.InstanceStats;
import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A freshly indexed, idle collection with naturally skewed k-means centroids and an uneven but
 * stable row distribution: scored against its own baseline it stays NORMAL; a real shift of its
 * centroids still lowers λ.
 */
class BaselineCalibrationTest {

    private static final long ROUND = 10_000;
    private static final TopicNames TOPICS = TopicNames.DEFAULT;
    private static final String HOST = "index-0:7070";
    /** k = 16 shares of a real-looking clustering (largest 0.30, smallest 0.01). */
    private static final double[] SHARES = {0.30, 0.20, 0.15, 0.10, 0.05, 0.04, 0.03, 0.025, 0.02, 0.02, 0.015,
            0.015, 0.01, 0.01, 0.01, 0.005};
    /** Rows of 4 partitions: uneven (2× the mean on partition 0) and stable. */
    private static final long[] ROWS = {30_000, 15_000, 10_000, 5_000};

    @TempDir
    Path stateDir;

    private final SchemaRegistry registry = SchemaRegistries.inMemory();
    private TopologyTestDriver driver;
    private TestInputTopic<String, IntegritySample> samples;
    private TestOutputTopic<String, IntegrityEvent> events;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "integrity-baseline-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(IntegrityTopology.build(TOPICS, registry, IntegritySettings.DEFAULTS,
                new EventSigner(SigningKeys.generate())), props);
        samples = driver.createInputTopic(TOPICS.integritySamples(), new StringSerializer(),
                AvroSerde.forValues(registry, IntegritySample.class).serializer());
        events = driver.createOutputTopic(TOPICS.integrityEvents(), new StringDeserializer(),
                AvroSerde.forValues(registry, IntegrityEvent.class).deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    /** One round: the index instance (4 partitions, 16 centroids listing all) and an idle capture. */
    private static List<IntegritySample> round(long at, double[] shares, SplittableRandom random) {
        List<PartitionStats> parts = new ArrayList<>();
        for (int p = 0; p < ROWS.length; p++) {
            parts.add(PartitionStats.newBuilder().setPartition(p).setHost(HOST).setVectorCount(ROWS[p])
                    .setAppliedPerSecond(0.0).setLagRecords(0L).setLagMillis(0L)
                    .setApplyP99Micros(2_000L + random.nextInt(500)).setQueryP99Micros(4_000L + random.nextInt(1_000))
                    .setErrorRate(0.0).build());
        }
        List<CentroidStats> centroids = new ArrayList<>();
        for (int c = 0; c < shares.length; c++) {
            // mean distances vary 2× across centroids (1.0 .. 2.0), with ±2 % sampling noise per round
            double distance = (1.0 + c / 15.0) * (0.98 + 0.04 * random.nextDouble());
            centroids.add(new CentroidStats("c" + c, shares[c] * (0.97 + 0.06 * random.nextDouble()), distance,
                    List.of()));
        }
        IntegritySample index = IntegritySample.newBuilder().setCollection("fmnist").setTenant(null)
                .setSampledAtMillis(at).setSource(SampleSource.INDEX).setInstanceId(HOST).setPartitions(parts)
                .setInstances(List.of(new InstanceStats(HOST, 0.1, 4_000L))).setCentroids(centroids).build();
        // the capture after the bulk load: slot holds only watermarks, the stale delay still reported
        IntegritySample cdc = IntegritySample.newBuilder().setCollection("fmnist").setTenant(null)
                .setSampledAtMillis(at).setSource(SampleSource.CDC).setInstanceId("capture")
                .setCdc(new CdcStats(192L, 11_480L, 0L, 1.0, false)).build();
        return List.of(index, cdc);
    }

    private void pipe(int k, double[] shares, SplittableRandom random) {
        for (IntegritySample s : round(k * ROUND, shares, random)) {
            samples.pipeInput(s.getCollection(), s, k * ROUND);
        }
    }

    private IntegrityState state() {
        return driver.<String, IntegrityState>getKeyValueStore(IntegrityTopology.STATE_STORE).get("fmnist");
    }

    @Test
    void shouldReadTheSkewedCollectionAsUnhealthyWhenScoredAgainstPerfectBalance() {
        // the behaviour reported: without a baseline the natural imbalance is a fault
        Telemetry t = Telemetry.merge(round(0, SHARES, new SplittableRandom(1)));
        double lambda = new LambdaMeter(IntegritySettings.DEFAULTS.lambda())
                .measure(new ContractedGraphBuilder(GraphBudgets.DEFAULTS).build(t).graph()).lambda();
        double calibrated = new LambdaMeter(IntegritySettings.DEFAULTS.lambda())
                .measure(new ContractedGraphBuilder(GraphBudgets.DEFAULTS)
                        .build(t, Baseline.calibrate(null, t, 0)).graph()).lambda();

        assertThat(lambda).isLessThan(0.5);
        assertThat(calibrated).isGreaterThan(0.9); // what is left is the partitions' p99 (≈ 10 % of its budget)
    }

    @Test
    void shouldStayNormalOverSixtyRoundsWhenCentroidsAreSkewedButStable() {
        SplittableRandom random = new SplittableRandom(42);
        for (int k = 0; k < 65; k++) {
            pipe(k, SHARES, random);
        }

        List<IntegrityEvent> out = events.readValuesToList();
        assertThat(out).hasSize(65).allSatisfy(e -> {
            assertThat(e.getNewState()).isEqualTo(IntegrityLevel.NORMAL);
            assertThat(e.getLambda()).isGreaterThan(0.9);
        });
        assertThat(state().getState()).isEqualTo(IntegrityLevel.NORMAL);
        Baseline baseline = Baseline.fromBytes(driver.<String, byte[]>getKeyValueStore(IntegrityTopology.BASELINE_STORE)
                .get("fmnist"));
        assertThat(baseline.centroidCount()).isEqualTo(16);
        assertThat(baseline.readings()).isEqualTo(65);
    }

    @Test
    void shouldDropLambdaAndEnterStressWhenOneCentroidDoublesItsShare() {
        SplittableRandom random = new SplittableRandom(42);
        for (int k = 0; k < 60; k++) {
            pipe(k, SHARES, random);
        }
        events.readValuesToList();
        double[] shifted = SHARES.clone();
        shifted[0] = 0.60; // the largest cluster doubles; the others shrink in proportion
        for (int c = 1; c < shifted.length; c++) {
            shifted[c] = SHARES[c] * 0.40 / 0.70;
        }

        for (int k = 60; k < 64; k++) {
            pipe(k, shifted, random);
        }

        List<IntegrityEvent> out = events.readValuesToList();
        assertThat(out).filteredOn(e -> e.getEventType() == io.ruvector.schemas.IntegrityEventType.SAMPLE)
                .allSatisfy(e -> assertThat(e.getLambda()).isLessThan(0.8));
        assertThat(out.stream().flatMap(e -> e.getWitnessEdges().stream()))
                .anySatisfy(w -> assertThat(w.getSourceType() + ":" + w.getSourceId() + " "
                        + w.getTargetType() + ":" + w.getTargetId()).contains("centroid:c0"));
        assertThat(state().getState()).isEqualTo(IntegrityLevel.STRESS);
    }

    @Test
    void shouldKeepTheBaselineWhenTheBaselineBytesAreReadBack() {
        Telemetry t = Telemetry.merge(round(0, SHARES, new SplittableRandom(3)));
        Baseline b = Baseline.calibrate(null, t, 1234);

        assertThat(Baseline.fromBytes(b.toBytes())).isEqualTo(b);
    }

    @Test
    void shouldNotScoreTheInitialLoadsBacklogAndCalibrateOnTheCaughtUpCollectionButStillDetectALaterBacklog() {
        SplittableRandom random = new SplittableRandom(7);
        double[] forming = {0.5, 0.3, 0.2}; // a young collection: another clustering than the loaded one
        // the snapshot runs for 10 rounds, 50,000 rows behind; then 5 more rounds of draining
        for (int k = 0; k < 15; k++) {
            long lag = k < 10 ? 50_000 : k < 14 ? 20_000 : 0;
            pipeRound(k, k < 6 ? forming : SHARES, lag, k < 10, random);
        }
        List<IntegrityEvent> load = events.readValuesToList();
        assertThat(load).as("through the load").hasSize(15)
                .allSatisfy(e -> assertThat(e.getNewState()).isEqualTo(IntegrityLevel.NORMAL));
        Baseline loaded = Baseline.fromBytes(driver.<String, byte[]>getKeyValueStore(IntegrityTopology.BASELINE_STORE)
                .get("fmnist"));
        assertThat(loaded.isLoading()).as("caught up after the snapshot").isFalse();
        assertThat(loaded.centroidCount()).as("calibrated on the loaded collection").isEqualTo(16);

        // a backlog after the load is a fault like any other
        for (int k = 15; k < 20; k++) {
            pipeRound(k, SHARES, 50_000, false, random);
        }
        assertThat(state().getState()).isIn(IntegrityLevel.STRESS, IntegrityLevel.CRITICAL);
    }

    private void pipeRound(int k, double[] shares, long lagRecords, boolean snapshot, SplittableRandom random) {
        for (IntegritySample s : round(k * ROUND, shares, random)) {
            if (s.getSource() == SampleSource.CDC) {
                s.getCdc().setSnapshotLoading(snapshot);
            } else {
                s.getPartitions().forEach(p -> p.setLagRecords(lagRecords));
                if (snapshot) { // a bulk load's applies are slow and uneven: not scored while loading
                    s.getPartitions().forEach(p -> p.setApplyP99Micros(45_000L));
                    s.getPartitions().getFirst().setAppliedPerSecond(3_000.0);
                }
            }
            samples.pipeInput(s.getCollection(), s, k * ROUND);
        }
    }
}
