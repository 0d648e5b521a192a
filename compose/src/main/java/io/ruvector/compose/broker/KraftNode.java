package io.ruvector.compose.broker;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One node of a multi-node KRaft cluster started from Kafka's production classes: every node is
 * broker and controller, the voters are static. Used to prove cluster mode on loopback (three
 * nodes, replication 3, min ISR 2); the embedded runtime's single broker has none.
 *
 * @param nodeId          this node's id, one of {@code controllerPorts}' keys
 * @param clusterId       the cluster id every node is formatted with
 * @param controllerPorts every voter's controller port on 127.0.0.1, by node id
 * @param replication     default replication of topics, internal ones included
 * @param minInsync       default {@code min.insync.replicas}
 */
public record KraftNode(int nodeId, String clusterId, Map<Integer, Integer> controllerPorts, short replication,
                        int minInsync) {

    public KraftNode {
        Objects.requireNonNull(clusterId, "clusterId");
        controllerPorts = Map.copyOf(controllerPorts);
        if (!controllerPorts.containsKey(nodeId)) {
            throw new IllegalArgumentException("node " + nodeId + " is not among the voters " + controllerPorts.keySet());
        }
        if (replication < 1 || replication > controllerPorts.size() || minInsync < 1 || minInsync > replication) {
            throw new IllegalArgumentException("replication " + replication + " / min ISR " + minInsync
                    + " do not fit " + controllerPorts.size() + " nodes");
        }
    }

    /** {@code controller.quorum.voters}: {@code id@127.0.0.1:port,...} */
    String voters() {
        return new TreeMap<>(controllerPorts).entrySet().stream().map(e -> e.getKey() + "@127.0.0.1:" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
