package io.ruvector.index.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where each partition of the vectors topic lives right now: its active host and its standby
 * hosts, read from Kafka Streams' metadata ({@code application.server} of every instance). A
 * partition missing from {@link #active()} is being moved (a rebalance is under way).
 *
 * @param active   partition → the instance whose active task owns it
 * @param standbys partition → instances holding a warm standby copy (possibly empty)
 */
public record IndexPlacement(Map<Integer, HostInfo> active, Map<Integer, List<HostInfo>> standbys) {

    public IndexPlacement {
        active = Map.copyOf(active);
        standbys = Map.copyOf(standbys);
    }

    /** The placement of {@code vectorsTopic}'s partitions described by {@code instances}. */
    public static IndexPlacement of(Collection<StreamsMetadata> instances, String vectorsTopic) {
        Objects.requireNonNull(vectorsTopic, "vectorsTopic");
        Map<Integer, HostInfo> active = new TreeMap<>();
        Map<Integer, List<HostInfo>> standbys = new TreeMap<>();
        for (StreamsMetadata instance : instances) {
            for (TopicPartition tp : instance.topicPartitions()) {
                if (tp.topic().equals(vectorsTopic)) {
                    active.put(tp.partition(), instance.hostInfo());
                }
            }
            for (TopicPartition tp : instance.standbyTopicPartitions()) {
                if (tp.topic().equals(vectorsTopic)) {
                    standbys.computeIfAbsent(tp.partition(), p -> new ArrayList<>()).add(instance.hostInfo());
                }
            }
        }
        return new IndexPlacement(active, standbys);
    }

    /** The active host of {@code partition}, or null while it is being moved. */
    public HostInfo activeHost(int partition) {
        return active.get(partition);
    }

    /** The standby hosts of {@code partition}, empty when it has none. */
    public List<HostInfo> standbyHosts(int partition) {
        return standbys.getOrDefault(partition, List.of());
    }
}
