package io.ruvector.index.telemetry;

import io.ruvector.index.IndexService;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.query.CollectionsQuery;
import io.ruvector.index.query.SampleQuery;
import io.ruvector.index.topology.IndexTopology;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.LagInfo;

/**
 * {@link IndexView} over a running {@link IndexService}: IQv2 on the local active partitions,
 * the consumer's fetch metrics for lag, and Kafka Streams' client metadata for standbys.
 * Needs a broker, so it is kept to plumbing; the parsing is in {@link ConsumerLag} and
 * {@link StandbyHosts}, tested on their own.
 */
final class StreamsIndexView implements IndexView {

    private final IndexService index;

    StreamsIndexView(IndexService index) {
        this.index = Objects.requireNonNull(index, "index");
    }

    @Override
    public Map<Integer, Set<String>> collections() {
        return index.queryLocal(new CollectionsQuery());
    }

    @Override
    public Map<Integer, CollectionStats> stats(String collection) {
        return index.stats(collection);
    }

    @Override
    public List<float[]> sample(String collection, int partition, int max, long seed) {
        return index.queryLocal(new SampleQuery(collection, max, seed), Set.of(partition))
                .getOrDefault(partition, List.of());
    }

    @Override
    public Map<Integer, Long> consumerLag() {
        return ConsumerLag.of(index.streams().metrics(), index.topics().vectors());
    }

    @Override
    public Map<Integer, List<String>> standbyHosts() {
        return StandbyHosts.of(index.streams().streamsMetadataForStore(IndexTopology.STORE_NAME),
                index.topics().vectors());
    }

    /** Blocking: Kafka Streams asks the brokers for the changelogs' end offsets. */
    @Override
    public Map<Integer, Long> localStandbyLag() {
        Map<Integer, Long> lags = new TreeMap<>();
        Map<Integer, LagInfo> store = index.streams().allLocalStorePartitionLags()
                .getOrDefault(IndexTopology.STORE_NAME, Map.of());
        store.forEach((partition, lag) -> lags.put(partition, lag.offsetLag()));
        return lags;
    }
}
