package io.ruvector.compose.cli;

import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options of commands that start the embedded runtime. */
final class RuntimeOptions {

    @Mixin
    PgOptions pg = new PgOptions();

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "broker log and state directory, kept between runs; default ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "embedded broker port on 127.0.0.1 (0 = any free port); default ${DEFAULT-VALUE}")
    int kafkaPort;

    @Option(names = "--controller-port", paramLabel = "PORT", defaultValue = "9093",
            description = "embedded KRaft controller port (0 = any free port); default ${DEFAULT-VALUE}")
    int controllerPort;

    @Option(names = "--deployment", paramLabel = "NAME", defaultValue = "default",
            description = "capture deployment: names the replication slot ruvector_<NAME>; default ${DEFAULT-VALUE}")
    String deployment;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "2",
            description = "partitions of the vectors topic when it is created: the most instances the index can spread "
                    + "over, and graphs per collection each search walks; default ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "HTTP API port on 127.0.0.1 (0 = any free port); default ${DEFAULT-VALUE}")
    int httpPort;

    @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "interface the HTTP API binds (0.0.0.0 = all; the API has no authentication); default ${DEFAULT-VALUE}")
    String httpHost;

    @Option(names = "--http-server", paramLabel = "jetty|jdk", defaultValue = "jetty",
            description = "the server that carries the HTTP API: jetty, or the JDK's built-in one; default ${DEFAULT-VALUE}")
    String httpServer;

    @Option(names = "--advertised-host", paramLabel = "HOST",
            description = "host other index instances use to reach this one's HTTP API; default: the --http-host")
    String advertisedHost;

    @Option(names = "--shadow-threads", paramLabel = "N", defaultValue = "1",
            description = "threads (and PostgreSQL connections per collection) of shadow reads; default ${DEFAULT-VALUE}")
    int shadowThreads;

    @Option(names = "--shadow-postgres-share", paramLabel = "F", defaultValue = "0.10",
            description = "share of its time a shadow thread may keep PostgreSQL busy, (0, 1]; default ${DEFAULT-VALUE}")
    double shadowPostgresShare;

    @Option(names = "--capture-only", description = "run broker and capture without the index and its queries")
    boolean captureOnly;

    @Option(names = "--sample-seconds", paramLabel = "S", defaultValue = "10",
            description = "cadence of integrity samples and their evaluation; default ${DEFAULT-VALUE}")
    long sampleSeconds;

    @Option(names = "--kafka", paramLabel = "HOST:PORT",
            description = "use this Kafka instead of starting the embedded broker (e.g. another instance's broker)")
    String kafka;

    @Option(names = "--index-only",
            description = "run only the index and the HTTP API, joining the runtime that captures (needs --kafka)")
    boolean indexOnly;

    @Option(names = "--role", paramLabel = "ROLES",
            description = "the parts this process runs, a comma list of capture, normaliser, index, integrity, healing; "
                    + "default capture,index,integrity,healing (normaliser: Debezium runs on Kafka Connect, see connect-config)")
    String role;

    @Option(names = "--connect-offsets-topic", paramLabel = "TOPIC", defaultValue = "connect-offsets",
            description = "normaliser role: the Connect worker's offset.storage.topic; default ${DEFAULT-VALUE}")
    String connectOffsetsTopic;

    @Option(names = "--connector", paramLabel = "NAME",
            description = "normaliser role: the Debezium connector's name on Connect; default ruvector-<deployment>")
    String connector;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "1",
            description = "replicas of the topics this runtime creates and of Kafka Streams' changelogs (3 on a "
                    + "production cluster; the embedded broker has 1); default ${DEFAULT-VALUE}")
    short replicationFactor;

    @Option(names = "--min-insync-replicas", paramLabel = "N", defaultValue = "1",
            description = "replicas that must hold a write before it is acknowledged (2 with 3 replicas); "
                    + "default ${DEFAULT-VALUE}")
    int minInsyncReplicas;

    @Option(names = "--schema-registry", paramLabel = "URL",
            description = "Confluent Schema Registry URL; without it, schema ids are the bundled ones")
    String schemaRegistry;

    @Option(names = "--memory-budget-mb", paramLabel = "MB", defaultValue = "0",
            description = "the index's memory budget: healing sees memory pressure above 85 %% of it "
                    + "(0 = this JVM's max heap); default ${DEFAULT-VALUE}")
    long memoryBudgetMb;

    @Option(names = "--k8s-statefulset", paramLabel = "NAMESPACE/NAME",
            description = "the index StatefulSet that scale_replicas scales through the Kubernetes API (in-cluster "
                    + "service account); default: none")
    String k8sStatefulSet;

    @Option(names = "--k8s-api-server", paramLabel = "URL",
            description = "Kubernetes API server for --k8s-statefulset; default https://kubernetes.default.svc with the "
                    + "pod's service account token and CA")
    java.net.URI k8sApiServer;

    @Option(names = "--session-timeout-ms", paramLabel = "MS", defaultValue = "6000",
            description = "an index instance that sends no heartbeat for this long is gone and its partitions move "
                    + "(Kafka's session.timeout.ms; brokers accept 6000 and more by default); default ${DEFAULT-VALUE}")
    long sessionTimeoutMs;

    @Option(names = "--standby-reads", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "standby copies answer for partitions whose instance is lost (they then hold search "
                    + "structures too); default ${DEFAULT-VALUE}")
    boolean standbyReads;

    @Option(names = "--standby-max-lag", paramLabel = "RECORDS", defaultValue = "1000",
            description = "how far behind a standby copy may be and still answer; default ${DEFAULT-VALUE}")
    long standbyMaxLag;

    private io.ruvector.index.topology.FailoverSettings failover() {
        if (standbyMaxLag < 0) {
            throw new IllegalArgumentException("--standby-max-lag must be >= 0 records, was " + standbyMaxLag);
        }
        try {
            return new io.ruvector.index.topology.FailoverSettings(null, null, standbyMaxLag, standbyReads)
                    .withSessionTimeout(java.time.Duration.ofMillis(sessionTimeoutMs));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--session-timeout-ms: " + e.getMessage(), e);
        }
    }

    private io.ruvector.compose.http.HttpServerKind httpServerKind() {
        try {
            return io.ruvector.compose.http.HttpServerKind.parse(httpServer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--http-server: " + e.getMessage(), e);
        }
    }

    RuntimeConfig config() {
        return new RuntimeConfig(dataDir, pg.settings(), new BrokerConfig(dataDir, kafkaPort, controllerPort),
                deployment, partitions, null, schemaRegistry, captureOnly, kafka, indexOnly,
                new HttpSettings(httpHost, httpPort, advertisedHost, new io.ruvector.compose.shadow.ShadowSettings(shadowThreads,
                        io.ruvector.compose.shadow.ShadowSettings.DEFAULT.queue(), io.ruvector.compose.shadow.ShadowSettings.DEFAULT.kept(),
                        shadowPostgresShare), httpServerKind()), java.time.Duration.ofSeconds(sampleSeconds),
                memoryBudgetMb * 1_000_000, kubernetes(), failover(), roles(),
                new io.ruvector.compose.runtime.ConnectSource(connectOffsetsTopic, connector),
                new io.ruvector.compose.runtime.Replication(replicationFactor, minInsyncReplicas));
    }

    private java.util.Set<io.ruvector.compose.runtime.Role> roles() {
        if (role == null) {
            return null;
        }
        if (captureOnly || indexOnly) {
            throw new IllegalArgumentException("--role replaces --capture-only and --index-only: give one of them");
        }
        return io.ruvector.compose.runtime.Role.parse(role);
    }

    private io.ruvector.index.scale.KubernetesTarget kubernetes() {
        if (k8sStatefulSet == null) {
            if (k8sApiServer != null) {
                throw new IllegalArgumentException("--k8s-api-server needs --k8s-statefulset NAMESPACE/NAME");
            }
            return null;
        }
        String[] parts = k8sStatefulSet.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("--k8s-statefulset must be NAMESPACE/NAME, was '" + k8sStatefulSet + "'");
        }
        var inCluster = io.ruvector.index.scale.KubernetesTarget.inCluster(parts[0], parts[1]);
        return k8sApiServer == null ? inCluster : new io.ruvector.index.scale.KubernetesTarget(k8sApiServer, parts[0],
                parts[1], java.nio.file.Files.isReadable(inCluster.tokenFile()) ? inCluster.tokenFile() : null,
                java.nio.file.Files.isReadable(inCluster.caCertFile()) ? inCluster.caCertFile() : null);
    }

}
