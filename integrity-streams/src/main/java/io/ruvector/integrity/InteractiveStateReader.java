package io.ruvector.integrity;

import io.ruvector.integrity.topology.IntegrityTopology;
import io.ruvector.schemas.IntegrityState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;

/**
 * Reads state records with an IQv2 {@link KeyQuery} on this instance's {@code integrity-state}
 * store. The query goes to every local active partition (a handful of point lookups, cheaper
 * than computing the partition); a scope hosted by another instance reads as empty here: the
 * HTTP layer finds its host with {@code streams.queryMetadataForKey(IntegrityTopology.STATE_STORE,
 * collection, Serdes.String().serializer())} (key = the collection, the samples topic's key).
 */
public final class InteractiveStateReader implements StateReader {

    private final KafkaStreams streams;

    public InteractiveStateReader(KafkaStreams streams) {
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    @Override
    public Optional<IntegrityState> read(String collection, String scopeKey) {
        StateQueryResult<IntegrityState> result = streams.query(StateQueryRequest.inStore(IntegrityTopology.STATE_STORE)
                .withQuery(KeyQuery.<String, IntegrityState>withKey(scopeKey)).requireActive());
        List<String> failures = new ArrayList<>();
        for (Map.Entry<Integer, QueryResult<IntegrityState>> partition : result.getPartitionResults().entrySet()) {
            QueryResult<IntegrityState> answer = partition.getValue();
            if (answer.isSuccess()) {
                if (answer.getResult() != null) {
                    return Optional.of(answer.getResult());
                }
            } else {
                failures.add("partition " + partition.getKey() + ": " + answer.getFailureReason() + " "
                        + answer.getFailureMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("integrity state query for " + scopeKey + " failed on " + failures);
        }
        return Optional.empty();
    }
}
