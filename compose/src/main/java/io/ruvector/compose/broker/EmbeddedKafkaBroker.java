package io.ruvector.compose.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A single-node Kafka broker + KRaft controller started in-process from Kafka's production
 * classes (not the test kit), listening on loopback. The log directory is formatted once and
 * then reused, so topics, offsets and the cluster id survive restarts.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CONTROLLER = "CONTROLLER";

    private final BrokerConfig config;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    public EmbeddedKafkaBroker(BrokerConfig config) {
        this.config = config;
        this.port = config.port() == 0 ? freePort() : config.port();
        this.controllerPort = config.controllerPort() == 0 ? freePort() : config.controllerPort();
    }

    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        Path logDir = config.dataDir().resolve("kafka");
        try {
            Files.createDirectories(logDir);
            boolean fresh = !Files.exists(logDir.resolve("meta.properties"));
            if (fresh) {
                format(logDir);
            }
            server = new KafkaRaftServer(new KafkaConfig(properties(logDir)), Time.SYSTEM);
            server.startup();
            LOG.info("kafka broker on {} ({} log dir {})", bootstrapServers(), fresh ? "new" : "existing", logDir);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka log dir " + logDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker in " + logDir + ": " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private int nodeId() {
        return config.cluster() == null ? NODE_ID : config.cluster().nodeId();
    }

    private void format(Path logDir) throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setClusterId(config.cluster() == null ? Uuid.randomUuid().toString() : config.cluster().clusterId())
                .setNodeId(nodeId())
                .setControllerListenerName(CONTROLLER)
                .setMetadataLogDirectory(logDir.toString())
                .setDirectories(java.util.List.of(logDir.toString()))
                .setReleaseVersion(MetadataVersion.latestProduction())
                .run();
    }

    private Properties properties(Path logDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId()));
        p.put("controller.quorum.voters", config.cluster() == null ? NODE_ID + "@127.0.0.1:" + controllerPort
                : config.cluster().voters());
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", CONTROLLER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        // After a SIGKILL the controller (this same process, restarted) still holds the dead broker's
        // registration and refuses the new one until its session expires: 9 s by default. A single
        // embedded broker has no one to fail over to, so a short session only shortens that wait.
        p.put("broker.session.timeout.ms", "1500");
        p.put("broker.heartbeat.interval.ms", "300");
        // Members on the same machine as their broker may ask for sessions shorter than a cluster's
        // 6 s minimum (--session-timeout-ms): a killed index instance is then noticed sooner.
        p.put("group.min.session.timeout.ms", "1000");
        if (config.cluster() != null) {
            String replicas = Short.toString(config.cluster().replication());
            String minInsync = Integer.toString(config.cluster().minInsync());
            p.put("default.replication.factor", replicas);
            p.put("min.insync.replicas", minInsync);
            p.put("offsets.topic.replication.factor", replicas);
            p.put("transaction.state.log.replication.factor", replicas);
            p.put("transaction.state.log.min.isr", minInsync);
            p.put("share.coordinator.state.topic.replication.factor", replicas);
            p.put("share.coordinator.state.topic.min.isr", minInsync);
            // a cluster has others to fail over to: the usual session, so a slow node is not fenced at once
            p.put("broker.session.timeout.ms", "6000");
            p.put("broker.heartbeat.interval.ms", "1000");
            p.put("unclean.leader.election.enable", "false");
        }
        return p;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        LOG.info("kafka broker on 127.0.0.1:{} stopped", port);
    }
}
