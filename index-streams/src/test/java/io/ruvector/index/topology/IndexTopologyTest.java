package io.ruvector.index.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.query.KnnQuery;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.query.WatermarkQuery;
import io.ruvector.index.store.Changes;
import io.ruvector.index.store.VectorIndexStore;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroUnionSerde;
import io.ruvector.schemas.topic.TopicNames;
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
    private TestInputTopic<String, SpecificRecord> vectors;
    private VectorIndexStore store;

    @BeforeEach
    void setUp() {
        AvroUnionSerde serde = IndexTopology.valueSerde(registry);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "index-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(IndexTopology.build(TopicNames.DEFAULT, registry), props);
        vectors = driver.createInputTopic(TopicNames.DEFAULT.vectors(), new StringSerializer(), serde.serializer());
        store = (VectorIndexStore) driver.getStateStore(IndexTopology.STORE_NAME);
    }

    @AfterEach
    void tearDown() {
        driver.close();
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
