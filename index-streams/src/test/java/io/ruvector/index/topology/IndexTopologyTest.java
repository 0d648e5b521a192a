package io.ruvector.index.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.query.GetVectorQuery;
import io.ruvector.index.query.KnnQuery;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.query.SearchStrategy;
import io.ruvector.index.query.StatsQuery;
import io.ruvector.index.query.VectorRecord;
import io.ruvector.index.query.WatermarkQuery;
import io.ruvector.index.store.Changes;
import io.ruvector.index.store.GraphMaintenance;
import io.ruvector.index.store.VectorIndexStore;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.VectorType;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.serde.AvroUnionSerde;
import io.ruvector.schemas.topic.TopicNames;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Processing through {@link IndexTopology} on the {@link TopologyTestDriver} (no IQv2 there: see compose IndexQueryIT). */
class IndexTopologyTest {

    private final SchemaRegistry registry = SchemaRegistries.inMemory();
    private TopologyTestDriver driver;
    private final GraphMaintenance maintenance = GraphMaintenance.manual();
    private TestInputTopic<String, SpecificRecord> vectors;
    private TestInputTopic<String, CollectionSpec> collections;
    private VectorIndexStore store;

    @BeforeEach
    void setUp() {
        AvroUnionSerde serde = IndexTopology.valueSerde(registry);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "index-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        HnswSettings settings = HnswSettings.builder().exactBelowRows(5).build();
        driver = new TopologyTestDriver(IndexTopology.build(TopicNames.DEFAULT, registry, settings, maintenance), props);
        vectors = driver.createInputTopic(TopicNames.DEFAULT.vectors(), new StringSerializer(), serde.serializer());
        collections = driver.createInputTopic(TopicNames.DEFAULT.collections(), new StringSerializer(),
                AvroSerde.forValues(registry, CollectionSpec.class));
        store = (VectorIndexStore) driver.getStateStore(IndexTopology.STORE_NAME);
    }

    @AfterEach
    void tearDown() {
        driver.close();
        maintenance.close();
    }

    @Test
    void shouldBuildEachGraphWithItsCollectionsParamsWhenTheSpecIsOnTheCollectionsTopic() {
        collections.pipeInput("c", spec("c", 8, 32, Metric.COSINE));
        for (int i = 0; i < 10; i++) {
            vectors.pipeInput("c/" + i, Changes.upsert("c", Integer.toString(i), 10 + i, i, 1f, 2f));
            vectors.pipeInput("d/" + i, Changes.upsert("d", Integer.toString(i), 10 + i, i, 1f, 2f));
        }
        assertThat(store.stats("c")).satisfies(stats -> {
            assertThat(stats.graphPresent()).isTrue();
            assertThat(stats.m()).isEqualTo(8);
            assertThat(stats.efConstruction()).isEqualTo(32);
            assertThat(stats.graphMetric()).isEqualTo(Metric.COSINE);
        });
        assertThat(store.stats("d")).as("no spec seen: the defaults").satisfies(stats -> {
            assertThat(stats.m()).isEqualTo(16);
            assertThat(stats.efConstruction()).isEqualTo(64);
            assertThat(stats.graphMetric()).isEqualTo(Metric.L2);
        });
        assertThat(store.search(KnnRequest.builder("c", new float[] {3f, 1f, 2f}).k(1).metric(Metric.COSINE).build())
                .strategies()).containsExactly(SearchStrategy.GRAPH);

        collections.pipeInput("c", spec("c", 12, 40, Metric.L2));
        collections.pipeInput("d", spec("d", 4, 16, Metric.L1));
        driver.advanceWallClockTime(HnswSettings.DEFAULT.specRefreshInterval());
        assertThat(store.stats("c")).satisfies(stats -> {
            assertThat(stats.m()).isEqualTo(12);
            assertThat(stats.efConstruction()).isEqualTo(40);
            assertThat(stats.graphMetric()).isEqualTo(Metric.L2);
            assertThat(stats.liveRows()).isEqualTo(10);
        });
        assertThat(store.stats("d").graphPresent()).as("L1 collections have no graph").isFalse();
        assertThat(store.search(KnnRequest.builder("c", new float[] {3f, 1f, 2f}).k(1).build()).ids()).containsExactly("3");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldAnswerGetAndStatsQueriesWhenQueriedDirectly() {
        vectors.pipeInput("c/1", Changes.upsert("c", "1", 10, 1f, 0f));
        vectors.pipeInput("c/2", Changes.upsert("c", "2", 11, 0f, 1f));
        vectors.pipeInput("c/2", Changes.delete("c", "2", 12));
        vectors.pipeInput((String) null, new Watermark(12L, "test", 0L));
        QueryConfig config = new QueryConfig(false);
        assertThat(store.query(new GetVectorQuery("c", "1"), PositionBound.unbounded(), config).getResult())
                .contains(new VectorRecord("c", "1", null, new float[] {1f, 0f}, Map.of(), 10));
        assertThat(store.query(new GetVectorQuery("c", "2"), PositionBound.unbounded(), config).getResult()).isEmpty();
        CollectionStats stats = store.query(new StatsQuery("c"), PositionBound.unbounded(), config).getResult();
        assertThat(stats.liveRows()).isEqualTo(1);
        assertThat(stats.tombstones()).isEqualTo(1);
        assertThat(stats.watermark()).isEqualTo(12);
        assertThat(stats.graphPresent()).as("1 row, below the 5-row threshold").isFalse();
    }

    private static CollectionSpec spec(String name, int m, int efConstruction, Metric metric) {
        return CollectionSpec.newBuilder().setName(name).setTable("public." + name).setIdColumn("id")
                .setVectorColumn("embedding").setVectorType(VectorType.VECTOR).setDimensions(3).setMetric(metric)
                .setTenantColumn(null).setMetadataColumns(List.of()).setHnswM(m).setHnswEfConstruction(efConstruction)
                .setPartitions(1).setCreatedAtMillis(0).build();
    }

    @Test
    void shouldApplyChangesAndWatermarksWhenRecordsArrive() {
        vectors.pipeInput("c/1", Changes.upsert("c", "1", 10, 1f, 0f));
        vectors.pipeInput("c/2", Changes.upsert("c", "2", 11, 0f, 1f));
        vectors.pipeInput("c/3", Changes.upsert("c", "3", 12, 5f, 5f));
        vectors.pipeInput("c/2", Changes.delete("c", "2", 13));
        vectors.pipeInput("c/2", Changes.upsert("c", "2", 11, 0f, 1f)); // redelivered: must not resurrect
        vectors.pipeInput("c/1", Changes.metadata("c", "1", 14, Map.of("tag", "x")));
        vectors.pipeInput((String) null, new Watermark(14L, "test", 0L));

        assertThat(store.count("c")).isEqualTo(2);
        assertThat(store.get("c", "2")).isEmpty();
        assertThat(store.get("c", "1")).hasValueSatisfying(row -> {
            assertThat(row.vector()).containsExactly(1f, 0f);
            assertThat(row.metadata()).isEqualTo(Map.of("tag", "x"));
        });
        assertThat(store.watermark()).isEqualTo(14);
        assertThat(store.search(KnnRequest.of("c", new float[] {0f, 1f}, 10, Metric.L2)).ids())
                .containsExactly("1", "3");
    }

    @Test
    void shouldAnswerKnnAndWatermarkQueriesAndStampThePositionWhenQueriedDirectly() {
        vectors.pipeInput("c/1", Changes.upsert("c", "1", 10, 1f, 0f));
        vectors.pipeInput("c/2", Changes.upsert("c", "2", 11, 0f, 1f));
        vectors.pipeInput((String) null, new Watermark(11L, "test", 0L));
        QueryConfig config = new QueryConfig(true);

        QueryResult<KnnResult> knn = store.query(new KnnQuery(KnnRequest.of("c", new float[] {0f, 1f}, 1, Metric.COSINE)),
                PositionBound.unbounded(), config);
        assertThat(knn.isSuccess()).isTrue();
        assertThat(knn.getResult().ids()).containsExactly("2");
        assertThat(knn.getResult().hits().getFirst().distance()).isEqualTo(0.0);
        assertThat(knn.getPosition().getTopics()).contains(TopicNames.DEFAULT.vectors());
        assertThat(knn.getExecutionInfo()).isNotEmpty();

        QueryResult<Long> watermark = store.query(new WatermarkQuery(), PositionBound.unbounded(), config);
        assertThat(watermark.getResult()).isEqualTo(11L);

        QueryResult<Object> wrongDims = store.query((org.apache.kafka.streams.query.Query<Object>) (Object)
                new KnnQuery(KnnRequest.of("c", new float[] {1f}, 1, Metric.L2)), PositionBound.unbounded(), config);
        assertThat(wrongDims.isFailure()).isTrue();
        assertThat(wrongDims.getFailureMessage()).contains("different vector dimensions");

        QueryResult<byte[]> unknown = store.query(KeyQuery.withKey("c/1"), PositionBound.unbounded(), config);
        assertThat(unknown.isFailure()).isTrue();
    }
}
