package io.ruvector.index.telemetry;

import io.ruvector.index.query.CollectionStats;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the telemetry reads from the running index, beyond the counters it is handed: the
 * partitions' contents through the store's IQv2 queries, and where partitions and their standbys
 * live. {@link StreamsIndexView} reads a running {@code KafkaStreams}; tests read a
 * {@code TopologyTestDriver}'s store through the same queries.
 */
interface IndexView {

    /** The local active partitions, each with the collections it holds. */
    Map<Integer, Set<String>> collections();

    /** {@code collection}'s counts and memory per local active partition. */
    Map<Integer, CollectionStats> stats(String collection);

    /** Up to {@code max} live vectors of {@code collection} in {@code partition}, uniformly at random. */
    List<float[]> sample(String collection, int partition, int max, long seed);

    /** Consumer lag of the vectors topic per local active partition, in records; a partition not listed is unknown. */
    Map<Integer, Long> consumerLag();

    /** The hosts ({@code host:port}) holding a standby copy of each partition. */
    Map<Integer, List<String>> standbyHosts();

    /** Records the standby copies held by this instance have still to apply, per partition. */
    Map<Integer, Long> localStandbyLag();
}
