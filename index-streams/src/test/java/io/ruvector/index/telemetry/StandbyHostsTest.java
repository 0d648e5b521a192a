package io.ruvector.index.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.Test;

/** {@link StandbyHosts} over Kafka Streams' own client metadata objects. */
class StandbyHostsTest {

    private static final String TOPIC = "ruvector.vectors";

    @Test
    void shouldListTheHostsWithAStandbyOfEachPartitionOfTheTopic() {
        List<StreamsMetadata> clients = List.of(
                client("a", 8080, Set.of(0, 1), Set.of(2)),
                client("b", 8080, Set.of(2), Set.of(0, 1)),
                client("c", 9090, Set.of(), Set.of(0)),
                new StreamsMetadataImpl(new HostInfo("d", 1), Set.of(), Set.of(), Set.of(),
                        Set.of(new TopicPartition("ruvector.collections", 0))));

        assertThat(StandbyHosts.of(clients, TOPIC)).containsExactlyInAnyOrderEntriesOf(Map.of(
                0, List.of("b:8080", "c:9090"), 1, List.of("b:8080"), 2, List.of("a:8080")));
    }

    private static StreamsMetadata client(String host, int port, Set<Integer> active, Set<Integer> standby) {
        return new StreamsMetadataImpl(new HostInfo(host, port), Set.of("vector-index"), partitions(active),
                Set.of("vector-index"), partitions(standby));
    }

    private static Set<TopicPartition> partitions(Set<Integer> ids) {
        return Set.copyOf(ids.stream().map(p -> new TopicPartition(TOPIC, p)).toList());
    }
}
