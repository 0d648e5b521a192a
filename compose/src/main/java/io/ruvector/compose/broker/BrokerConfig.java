package io.ruvector.compose.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the embedded single-node KRaft broker.
 *
 * @param dataDir        where the log and metadata live; kept between runs (formatted once)
 * @param port           client listener port on 127.0.0.1; 0 picks a free one
 * @param controllerPort controller listener port on 127.0.0.1; 0 picks a free one
 * @param cluster        this node's place in a multi-node KRaft cluster; null for the embedded single node
 */
public record BrokerConfig(Path dataDir, int port, int controllerPort, KraftNode cluster) {

    public BrokerConfig(Path dataDir, int port, int controllerPort) {
        this(dataDir, port, controllerPort, null);
    }

    public BrokerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        checkPort(port, "port");
        checkPort(controllerPort, "controllerPort");
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("broker port and controller port must differ, both are " + port);
        }
        if (cluster != null && (port == 0 || controllerPort != cluster.controllerPorts().get(cluster.nodeId()))) {
            throw new IllegalArgumentException("a cluster node needs its fixed port and the controller port the voters name");
        }
    }

    /** Default ports 9092/9093 under {@code dataDir}. */
    public static BrokerConfig at(Path dataDir) {
        return new BrokerConfig(dataDir, 9092, 9093);
    }

    /** Free ports, for tests and benchmarks that must not collide with a running runtime. */
    public static BrokerConfig ephemeral(Path dataDir) {
        return new BrokerConfig(dataDir, 0, 0);
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in [0, 65535], got " + port);
        }
    }
}
