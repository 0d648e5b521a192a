package io.ruvector.index.telemetry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;

/** Which hosts hold standby copies of each partition of a topic, from Kafka Streams' client metadata. */
final class StandbyHosts {

    private StandbyHosts() {
    }

    /** {@code host:port} of every client with a standby task on a partition of {@code topic}, sorted, by partition. */
    static Map<Integer, List<String>> of(Collection<StreamsMetadata> clients, String topic) {
        Map<Integer, TreeSet<String>> hosts = new TreeMap<>();
        for (StreamsMetadata client : clients) {
            for (TopicPartition tp : client.standbyTopicPartitions()) {
                if (tp.topic().equals(topic)) {
                    hosts.computeIfAbsent(tp.partition(), p -> new TreeSet<>()).add(client.host() + ":" + client.port());
                }
            }
        }
        Map<Integer, List<String>> out = new TreeMap<>();
        hosts.forEach((partition, set) -> out.put(partition, new ArrayList<>(set)));
        return out;
    }
}
