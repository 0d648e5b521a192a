package io.ruvector.index.telemetry;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.query.CollectionsQuery;
import io.ruvector.index.query.SampleQuery;
import io.ruvector.index.query.StatsQuery;
import io.ruvector.index.store.GraphMaintenance;
import io.ruvector.index.store.VectorIndexStore;
import io.ruvector.index.topology.IndexTopology;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.topic.TopicNames;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;

/**
 * The real {@link IndexTopology} on a {@link TopologyTestDriver} (one partition: 0), wired to
 * telemetry registries, seen through {@link IndexView}: contents through the store's own IQv2
 * {@code query} (the driver has no {@code KafkaStreams.query}), placement and lag as the test sets
 * them (the driver has no consumer and no other instances).
 */
final class DriverIndex implements IndexView, AutoCloseable {

    final SchemaRegistry registry = SchemaRegistries.inMemory();
    final PartitionActivity activity = new PartitionActivity();
    final MaintenanceJobs jobs;
    final GraphMaintenance maintenance = GraphMaintenance.manual();
    final TopologyTestDriver driver;
    final TestInputTopic<String, SpecificRecord> vectors;
    final TestInputTopic<String, CollectionSpec> collections;
    final VectorIndexStore store;
    final Map<Integer, Long> lag = new TreeMap<>();
    final Map<Integer, List<String>> standbys = new TreeMap<>();
    final Map<Integer, Long> localStandbyLag = new TreeMap<>();

    DriverIndex(HnswSettings settings, LongSupplier jobTicker) {
        jobs = new MaintenanceJobs(jobTicker);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "index-telemetry-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        driver = new TopologyTestDriver(IndexTopology.build(TopicNames.DEFAULT, registry, settings, maintenance,
                activity, jobs), props);
        vectors = driver.createInputTopic(TopicNames.DEFAULT.vectors(), new StringSerializer(),
                IndexTopology.valueSerde(registry).serializer());
        collections = driver.createInputTopic(TopicNames.DEFAULT.collections(), new StringSerializer(),
                AvroSerde.forValues(registry, CollectionSpec.class));
        store = (VectorIndexStore) driver.getStateStore(IndexTopology.STORE_NAME);
    }

    /** IQv2 on the partition's store, as {@code KafkaStreams.query} would route it there. */
    <R> QueryResult<R> query(Query<R> query) {
        return store.query(query, PositionBound.unbounded(), new QueryConfig(false));
    }

    private <R> R answer(Query<R> query) {
        QueryResult<R> result = query(query);
        if (result.isFailure()) {
            throw new IllegalStateException(result.getFailureReason() + ": " + result.getFailureMessage());
        }
        return result.getResult();
    }

    @Override
    public Map<Integer, Set<String>> collections() {
        return Map.of(0, answer(new CollectionsQuery()));
    }

    @Override
    public Map<Integer, CollectionStats> stats(String collection) {
        return Map.of(0, answer(new StatsQuery(collection)));
    }

    @Override
    public List<float[]> sample(String collection, int partition, int max, long seed) {
        return partition == 0 ? answer(new SampleQuery(collection, max, seed)) : List.of();
    }

    @Override
    public Map<Integer, Long> consumerLag() {
        return lag;
    }

    @Override
    public Map<Integer, List<String>> standbyHosts() {
        return standbys;
    }

    @Override
    public Map<Integer, Long> localStandbyLag() {
        return localStandbyLag;
    }

    @Override
    public void close() {
        driver.close();
        maintenance.close();
    }
}
