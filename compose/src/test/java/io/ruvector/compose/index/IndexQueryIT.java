package io.ruvector.compose.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.broker.EmbeddedKafkaBroker;
import io.ruvector.index.IndexService;
import io.ruvector.index.kernel.DistanceFunction;
import io.ruvector.index.kernel.VectorDistances;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.topology.IndexConfig;
import io.ruvector.index.topology.IndexTopology;
import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.topic.TopicNames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index end to end on the real in-process broker: VectorChanges produced to a 4-partition
 * {@code ruvector.vectors}, applied by the index topology, answered over IQv2 and merged. Exact
 * kNN must equal brute force over the model (what PostgreSQL holds), deletes must never come
 * back, replayed older changes must not resurrect or roll back, and a fresh instance restored
 * from the changelog must answer the same.
 */
class IndexQueryIT {

    private static final int PARTITIONS = 4;
    private static final int DIMS = 13;
    private static final String COLLECTION = "docs";

    @TempDir
    static Path dir;
    static EmbeddedKafkaBroker broker;
    static SchemaRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        broker = new EmbeddedKafkaBroker(BrokerConfig.ephemeral(dir.resolve("broker"))).start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TopicNames.DEFAULT.vectors(), PARTITIONS, (short) 1))).all().get();
        }
        registry = SchemaRegistries.fromConfig(SchemaRegistryConfig.bundled(broker.bootstrapServers()));
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
        broker.close();
    }

    @Test
    void shouldAnswerExactKnnLikeBruteForceWhenChangesAreDeletedAndReplayed() throws Exception {
        long seed = System.nanoTime();
        System.out.println("IndexQueryIT seed=" + seed);
        Random random = new Random(seed);
        Map<String, float[]> model = new TreeMap<>();
        List<VectorChange> upserts = new ArrayList<>();
        long lsn = 1_000;
        try (KafkaProducer<String, SpecificRecord> producer = producer()) {
            for (int i = 0; i < 400; i++) {
                float[] v = gaussian(random);
                VectorChange change = change(Integer.toString(i), ChangeOp.UPSERT, ++lsn, v);
                upserts.add(change);
                model.put(change.getId(), v);
                send(producer, change);
            }
            for (int i = 0; i < 400; i += 7) {
                send(producer, change(Integer.toString(i), ChangeOp.DELETE, ++lsn, null));
                model.remove(Integer.toString(i));
            }
            long firstWatermark = ++lsn;
            watermark(producer, firstWatermark);

            try (IndexService index = IndexService.start(config("index-it", "state-1"), registry)) {
                index.awaitWatermark(firstWatermark, Duration.ofSeconds(60));
                assertExactAgainstModel(index, model, random, seed);

                for (VectorChange older : upserts) { // redelivery after a crash: every original upsert again
                    send(producer, older);
                }
                long secondWatermark = ++lsn;
                watermark(producer, secondWatermark);
                index.awaitWatermark(secondWatermark, Duration.ofSeconds(60));
                assertExactAgainstModel(index, model, random, seed);
                assertThat(index.watermarks()).hasSize(PARTITIONS).allSatisfy((p, mark) -> assertThat(mark).isEqualTo(secondWatermark));
            }

            // A new instance of the same application restores the partitions from the changelog.
            try (IndexService restored = IndexService.start(config("index-it", "state-2"), registry)) {
                restored.awaitWatermark(lsn, Duration.ofSeconds(60));
                assertExactAgainstModel(restored, model, random, seed);
            }
        }
    }

    /**
     * A restart on the same state directory: the stores open from disk, then each partition's
     * in-memory index is built from its graph snapshot and rows on a warm-up thread. Until that
     * build is done a search would wait for it, so readiness must say "loading", and it must never
     * say ready while a local partition's index is not built.
     */
    @Test
    void shouldNotBeReadyWhileALocalPartitionLoadsItsIndex() throws Exception {
        String collection = "loading";
        int rows = 10_000; // 2,500 per partition: above the 2,000 rows from which a partition has a graph
        Random random = new Random(42);
        long lsn = 5_000_000;
        try (KafkaProducer<String, SpecificRecord> producer = producer()) {
            for (int i = 0; i < rows; i++) {
                VectorChange change = change(Integer.toString(i), ChangeOp.UPSERT, ++lsn, gaussian(random));
                change.setCollection(collection);
                send(producer, change);
            }
            watermark(producer, ++lsn);
        }
        try (IndexService first = IndexService.start(config("index-loading-it", "loading"), registry)) {
            first.awaitWatermark(lsn, Duration.ofSeconds(120));
        } // a clean close writes each partition's graph snapshot, which the restart reads

        try (IndexService restarted = IndexService.start(config("index-loading-it", "loading"), registry)) {
            int loadingSeen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (true) {
                io.ruvector.index.IndexReadiness readiness = restarted.readiness(10_000);
                if (!readiness.loading().isEmpty()) {
                    loadingSeen++;
                    assertThat(readiness.ready()).isFalse();
                    assertThat(readiness.problems()).anyMatch(p -> p.contains("loading their index into memory"));
                }
                if (readiness.ready()) {
                    assertThat(restarted.localStores()).as("stores at the first ready").hasSize(PARTITIONS)
                            .allSatisfy(store -> assertThat(store.warmed())
                                    .as("partition %d's index built when ready", store.partition()).isTrue());
                    break;
                }
                assertThat(System.nanoTime()).as("ready within 120 s: %s", readiness.problems()).isLessThan(deadline);
                Thread.onSpinWait();
            }
            // how often the build was seen depends on when it starts (at the restore's end, before the task
            // runs, the application is still REBALANCING); IndexReadinessTest checks the reason itself
            System.out.printf("IndexQueryIT: readiness said loading %d time(s) before ready%n", loadingSeen);
            assertThat(restarted.search(KnnRequest.of(collection, gaussian(random), 10, Metric.L2)).hits()).hasSize(10);
        }
    }

    private static void assertExactAgainstModel(IndexService index, Map<String, float[]> model, Random random, long seed) {
        List<KnnHit> everything = index.search(KnnRequest.of(COLLECTION, gaussian(random), KnnRequest.MAX_K, Metric.L2)).hits();
        assertThat(everything).extracting(KnnHit::id).as("live ids (seed %d)", seed)
                .containsExactlyInAnyOrderElementsOf(model.keySet());
        for (Metric metric : Metric.values()) {
            for (int q = 0; q < 3; q++) {
                float[] query = gaussian(random);
                int k = 1 + random.nextInt(25);
                assertThat(index.search(KnnRequest.of(COLLECTION, query, k, metric)).hits())
                        .as("%s k=%d (seed %d)", metric, k, seed)
                        .isEqualTo(bruteForce(model, query, k, metric));
            }
        }
    }

    private static List<KnnHit> bruteForce(Map<String, float[]> model, float[] query, int k, Metric metric) {
        DistanceFunction distance = VectorDistances.forMetric(metric);
        return model.entrySet().stream()
                .map(e -> new KnnHit(e.getKey(), distance.distance(query, e.getValue()), Map.of()))
                .sorted(Comparator.naturalOrder())
                .limit(k)
                .toList();
    }

    private static IndexConfig config(String applicationId, String stateDir) {
        return new IndexConfig(applicationId, dir.resolve(stateDir), broker.bootstrapServers(), TopicNames.DEFAULT, 0,
                Map.of("commit.interval.ms", "100"));
    }

    private static KafkaProducer<String, SpecificRecord> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), IndexTopology.valueSerde(registry).serializer());
    }

    private static void send(KafkaProducer<String, SpecificRecord> producer, VectorChange change) {
        producer.send(new ProducerRecord<>(TopicNames.DEFAULT.vectors(),
                TopicNames.vectorKey(change.getCollection(), change.getId()), change));
    }

    /** Like the capture: after the changes it covers, to every partition, null key. */
    private static void watermark(KafkaProducer<String, SpecificRecord> producer, long lsn) {
        for (int p = 0; p < PARTITIONS; p++) {
            producer.send(new ProducerRecord<>(TopicNames.DEFAULT.vectors(), p, null,
                    new Watermark(lsn, "it", System.currentTimeMillis())));
        }
        producer.flush();
    }

    private static VectorChange change(String id, ChangeOp op, long lsn, float[] vector) {
        ByteBuffer bytes = null;
        if (vector != null) {
            bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(vector);
        }
        return VectorChange.newBuilder().setCollection(COLLECTION).setId(id).setOp(op).setTenant(null)
                .setVector(bytes).setMetadata(Map.of()).setLsn(lsn).setCommitTimeMicros(0).setSnapshot(false).build();
    }

    private static float[] gaussian(Random random) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
