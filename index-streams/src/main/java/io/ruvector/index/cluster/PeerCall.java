package io.ruvector.index.cluster;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks another instance to answer a query on some of its partitions: the transport (HTTP in the
 * runtime) is the caller's, so this module stays free of a wire format.
 *
 * @param <R> the per-partition result type
 */
@FunctionalInterface
public interface PeerCall<R> {

    /**
     * The answers of {@code peer} for {@code partitions}, keyed by partition.
     *
     * @throws Exception when the peer cannot be reached or refuses; the partitions count as unanswered
     */
    Map<Integer, R> call(HostInfo peer, Set<Integer> partitions) throws Exception;
}
