package io.ruvector.index.cluster;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;

/**
 * How {@link ClusterQueries} asks another instance for the answers of some of its partitions
 * (the transport, e.g. HTTP, is the caller's).
 *
 * @param <R> one partition's answer
 */
@FunctionalInterface
public interface PeerCall<R> {

    /**
     * The answers of {@code peer} for {@code partitions}, keyed by partition: from its active
     * tasks, or from its standby copies when {@code standby}.
     *
     * @throws java.net.ConnectException when nothing listens at {@code peer}: it is taken for gone at once
     * @throws Exception when the peer cannot answer or refuses; the partitions count as unanswered
     */
    Map<Integer, R> call(HostInfo peer, Set<Integer> partitions, boolean standby) throws Exception;
}
