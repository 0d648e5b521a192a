package io.ruvector.index.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.index.query.KnnQuery;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.store.Changes;
import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.InstanceStats;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.MaintenanceJobStats;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.StandbyStats;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.topic.TopicNames;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link IndexTelemetry} over the real topology on the {@link DriverIndex}: what one round
 * publishes, end to end. The {@link MockProducer} (with the real Avro serializer) only captures
 * what was sent; the index under test is real.
 */
class IndexTelemetryTest {

    private static final String HOST = "index-1:8080";
    private static final long START = 1_700_000_000_000L;
    private static final TelemetrySettings SETTINGS = new TelemetrySettings(null, null, 4, 2_000, 10, null);

    private final AtomicLong jobNanos = new AtomicLong();
    private final DriverIndex index = new DriverIndex(HnswSettings.builder().exactBelowRows(50).build(), jobNanos::get);
    private final AtomicLong now = new AtomicLong(START);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final MockProducer<String, IntegritySample> producer = new MockProducer<>(true, null,
            new StringSerializer(), AvroSerde.forValues(index.registry, IntegritySample.class));

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void shouldPublishOneSamplePerHostedCollectionKeyedByItWhenSampled() {
        IndexTelemetry telemetry = telemetry(SETTINGS);
        for (int i = 0; i < 30; i++) {
            index.vectors.pipeInput("a/" + i, Changes.upsert("a", Integer.toString(i), 10 + i, i, 1f, 2f));
        }
        for (int i = 0; i < 5; i++) {
            index.vectors.pipeInput("b/" + i, Changes.upsert("b", Integer.toString(i), 100 + i, i, 1f));
        }
        advance(Duration.ofSeconds(10));

        List<IntegritySample> samples = telemetry.sampleOnce();

        assertThat(samples).extracting(IntegritySample::getCollection).containsExactly("a", "b");
        assertThat(producer.history()).extracting(ProducerRecord::topic)
                .containsOnly(TopicNames.DEFAULT.integritySamples());
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("a", "b");
        assertThat(producer.history()).extracting(ProducerRecord::value).containsExactlyElementsOf(samples);
        IntegritySample a = samples.get(0);
        assertThat(a.getSource()).isEqualTo(SampleSource.INDEX);
        assertThat(a.getInstanceId()).isEqualTo(HOST);
        assertThat(a.getSampledAtMillis()).isEqualTo(START + 10_000);
        assertThat(a.getCdc()).isNull();
        PartitionStats p0 = a.getPartitions().getFirst();
        assertThat(a.getPartitions()).hasSize(1);
        assertThat(p0.getPartition()).isZero();
        assertThat(p0.getHost()).isEqualTo(HOST);
        assertThat(p0.getVectorCount()).isEqualTo(30);
        assertThat(p0.getAppliedPerSecond()).isCloseTo(3.0, within(1e-9)); // 30 stored in the 10 s window
        assertThat(samples.get(1).getPartitions().getFirst().getAppliedPerSecond()).isCloseTo(0.5, within(1e-9));
        assertThat(p0.getMemoryBytes()).isPositive();
        assertThat(p0.getApplyP99Micros()).isPositive().isGreaterThanOrEqualTo(p0.getApplyP50Micros());
        assertThat(p0.getErrorRate()).isZero();
        assertThat(a.getInstances()).containsExactly(new InstanceStats(HOST, 1.25, p0.getApplyP99Micros()));

        advance(Duration.ofSeconds(5));
        PartitionStats idle = telemetry.sampleOnce().getFirst().getPartitions().getFirst();
        // the rate covers at least the last 10 s (ApplyRates): 30 changes over these 15 s
        assertThat(idle.getAppliedPerSecond()).as("rate over the last 15 s").isCloseTo(2.0, within(1e-9));
        assertThat(idle.getApplyP99Micros()).isZero();
        assertThat(idle.getVectorCount()).isEqualTo(30);
        advance(Duration.ofSeconds(10));
        assertThat(telemetry.sampleOnce().getFirst().getPartitions().getFirst().getAppliedPerSecond())
                .as("nothing applied in the last 10 s").isZero();
    }

    @Test
    void shouldReportErrorRateQueryLatencyAndDeletedFractionOfTheWindow() {
        IndexTelemetry telemetry = telemetry(SETTINGS);
        for (int i = 0; i < 60; i++) { // above the 50-row graph threshold
            index.vectors.pipeInput("a/" + i, Changes.upsert("a", Integer.toString(i), 10 + i, i, 1f));
        }
        for (int i = 0; i < 6; i++) { // 6 of 60 graph nodes deleted; maintenance is manual here, so they stay
            index.vectors.pipeInput("a/" + i, Changes.delete("a", Integer.toString(i), 100 + i));
        }
        index.vectors.pipeInput("a/x", Changes.upsert("a", "x", 200, 1f, 2f, 3f)); // wrong dimension
        index.vectors.pipeInput("a/7", Changes.upsert("a", "7", 17, 7f, 1f)); // replay
        for (int q = 0; q < 11; q++) {
            index.query(new KnnQuery(KnnRequest.of("a", new float[] {q, 1f}, 3, Metric.L2)));
        }
        index.query(new KnnQuery(KnnRequest.of("a", new float[] {1f}, 3, Metric.L2))); // fails

        PartitionStats p0 = telemetry.sampleOnce().getFirst().getPartitions().getFirst();

        assertThat(p0.getErrorRate()).isCloseTo(2.0 / (68 + 12), within(1e-12));
        assertThat(p0.getQueryP50Micros()).isPositive();
        assertThat(p0.getQueryP99Micros()).isGreaterThanOrEqualTo(p0.getQueryP50Micros());
        assertThat(p0.getVectorCount()).isEqualTo(54);
        assertThat(p0.getDeletedFraction()).isCloseTo(6.0 / 60, within(1e-12));
    }

    @Test
    void shouldReportLagAgeFromTheLastAppliedCommitWhenTheConsumerIsBehind() {
        IndexTelemetry telemetry = telemetry(SETTINGS);
        VectorChange change = Changes.upsert("a", "1", 10, 1f, 2f);
        change.setCommitTimeMicros((START - 4_000) * 1_000);
        index.vectors.pipeInput("a/1", change);
        index.lag.put(0, 42L);
        advance(Duration.ofSeconds(10));

        PartitionStats behind = telemetry.sampleOnce().getFirst().getPartitions().getFirst();
        assertThat(behind.getLagRecords()).isEqualTo(42);
        assertThat(behind.getLagMillis()).isEqualTo(14_000);

        index.lag.put(0, 0L);
        PartitionStats caughtUp = telemetry.sampleOnce().getFirst().getPartitions().getFirst();
        assertThat(caughtUp.getLagRecords()).isZero();
        assertThat(caughtUp.getLagMillis()).isZero();
    }

    @Test
    void shouldListStandbysWithTheLagOfALocalOne() {
        IndexTelemetry telemetry = telemetry(SETTINGS);
        index.vectors.pipeInput("a/1", Changes.upsert("a", "1", 10, 1f, 2f));
        index.standbys.put(0, List.of("index-2:8080", HOST));
        index.standbys.put(3, List.of("index-2:8080")); // not a local partition: left out
        index.localStandbyLag.put(0, 17L);

        IntegritySample sample = telemetry.sampleOnce().getFirst();
        assertThat(sample.getPartitions()).singleElement().satisfies(p -> assertThat(p.getStandbys())
                .containsExactly(new StandbyStats("index-2:8080", 0L), new StandbyStats(HOST, 17L)));
    }

    @Test
    void shouldListRunningMaintenanceJobsAndFlagThoseRunningPastTheOverrun() {
        IndexTelemetry telemetry = telemetry(new TelemetrySettings(null, null, 4, 2_000, 10, Duration.ofSeconds(30)));
        index.vectors.pipeInput("a/1", Changes.upsert("a", "1", 10, 1f, 2f));
        MaintenanceJobs.Job compaction = index.jobs.start(JobKind.COMPACTION, 0);
        MaintenanceJobs.Job elsewhere = index.jobs.start(JobKind.REBUILD, 5);
        jobNanos.addAndGet(Duration.ofSeconds(31).toNanos());

        List<MaintenanceJobStats> jobs = telemetry.sampleOnce().getFirst().getMaintenanceJobs();
        assertThat(jobs).singleElement().satisfies(job -> {
            assertThat(job.getId()).startsWith(HOST + "/compaction-p0-");
            assertThat(job.getKind()).isEqualTo("compaction");
            assertThat(job.getState()).isEqualTo("RUNNING");
            assertThat(job.getRunMillis()).isEqualTo(31_000);
            assertThat(job.getOverrunning()).isTrue();
            assertThat(job.getPartitions()).containsExactly(0);
        });

        compaction.close();
        elsewhere.close();
        assertThat(telemetry.sampleOnce().getFirst().getMaintenanceJobs()).isEmpty();
    }

    @Test
    void shouldRecoverFourClustersAsCentroidsAndRefreshThemOnlyEveryCentroidInterval() {
        long seed = RandomVectors.seed("telemetry-centroids");
        SplittableRandom random = new SplittableRandom(seed);
        IndexTelemetry telemetry = telemetry(SETTINGS);
        float[][] centres = {{20f, 0f, 0f, 0f}, {0f, 20f, 0f, 0f}, {0f, 0f, 20f, 0f}, {0f, 0f, 0f, 20f}};
        int id = 0;
        for (float[] centre : centres) {
            for (int i = 0; i < 100; i++, id++) {
                index.vectors.pipeInput("a/" + id, Changes.upsert("a", Integer.toString(id), id + 1,
                        KMeansTest.around(centre, 0.2, random)));
            }
        }

        List<CentroidStats> centroids = telemetry.sampleOnce().getFirst().getCentroids();
        assertThat(centroids).as("seed %d", seed).hasSize(4).allSatisfy(c -> {
            assertThat(c.getSizeShare()).isEqualTo(0.25);
            assertThat(c.getMeanDistance()).isCloseTo(0.2 * 1.88, within(0.05)); // 4-d: E|N(0, σ²I)| ≈ 1.88 σ
            assertThat(c.getPartitions()).containsExactly(0);
        });

        for (int i = 0; i < 400; i++, id++) { // a fifth cluster, as large as the other four together
            index.vectors.pipeInput("a/" + id, Changes.upsert("a", Integer.toString(id), id + 1,
                    KMeansTest.around(new float[] {-20f, -20f, 0f, 0f}, 0.2, random)));
        }
        advance(Duration.ofSeconds(59));
        assertThat(telemetry.sampleOnce().getFirst().getCentroids()).as("within the centroid interval: kept")
                .isEqualTo(centroids);
        advance(Duration.ofSeconds(1));
        List<CentroidStats> refreshed = telemetry.sampleOnce().getFirst().getCentroids();
        assertThat(refreshed).hasSize(4);
        assertThat(refreshed.stream().mapToDouble(CentroidStats::getSizeShare).max().orElseThrow())
                .as("the new cluster holds half the rows").isGreaterThanOrEqualTo(0.5);
        assertThat(refreshed.stream().mapToDouble(CentroidStats::getSizeShare).sum()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void shouldCarryRebuiltCentroidsInTheNextSampleAndThePreviousOnesWhenReinstalled() {
        long seed = RandomVectors.seed("telemetry-rebuild-centroids");
        SplittableRandom random = new SplittableRandom(seed);
        IndexTelemetry telemetry = telemetry(SETTINGS);
        int id = 0;
        for (int i = 0; i < 200; i++, id++) {
            index.vectors.pipeInput("a/" + id, Changes.upsert("a", Integer.toString(id), id + 1,
                    KMeansTest.around(new float[] {20f, 0f, 0f, 0f}, 0.2, random)));
        }
        List<CentroidStats> before = telemetry.sampleOnce().getFirst().getCentroids();
        for (int i = 0; i < 200; i++, id++) { // a new cluster, between periodic refreshes
            index.vectors.pipeInput("a/" + id, Changes.upsert("a", Integer.toString(id), id + 1,
                    KMeansTest.around(new float[] {-20f, 0f, 0f, 0f}, 0.2, random)));
        }

        List<CentroidStats> rebuilt = telemetry.rebuildCentroids("a");

        assertThat(rebuilt).as("seed %d", seed).isNotEqualTo(before);
        assertThat(telemetry.sampleOnce().getFirst().getCentroids()).isEqualTo(rebuilt);
        telemetry.installCentroids("a", before);
        assertThat(telemetry.centroids("a")).isEqualTo(before);
        assertThat(telemetry.sampleOnce().getFirst().getCentroids()).isEqualTo(before);
    }

    @Test
    void shouldPublishOnScheduleUntilClosed() throws InterruptedException {
        IndexTelemetry telemetry = telemetry(new TelemetrySettings(Duration.ofMillis(20), null, 4, 2_000, 10, null));
        index.vectors.pipeInput("a/1", Changes.upsert("a", "1", 10, 1f, 2f));
        telemetry.schedule();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (producer.history().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        telemetry.close();
        telemetry.close(); // idempotent
        assertThat(producer.history()).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(record -> assertThat(record.key()).isEqualTo("a"));
    }

    @Test
    void shouldRefuseABlankInstanceId() {
        assertThatThrownBy(() -> new IndexTelemetry(index, index.activity, index.jobs, producer, "t", SETTINGS, " ",
                clock, () -> 0)).hasMessageContaining("instance id");
    }

    private IndexTelemetry telemetry(TelemetrySettings settings) {
        return new IndexTelemetry(index, index.activity, index.jobs, producer, TopicNames.DEFAULT.integritySamples(),
                settings, HOST, clock, () -> 1.25);
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toMillis());
    }
}
