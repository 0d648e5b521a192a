package io.ruvector.compose.runtime;

import io.ruvector.index.scale.KubernetesTarget;

import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.schemas.topic.TopicNames;

import io.ruvector.index.topology.FailoverSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the runtime: embedded broker (or an existing Kafka), capture, index and HTTP.
 *
 * @param dataDir           broker log and state directories; kept between runs
 * @param postgres          the PostgreSQL with pgvector to capture from
 * @param broker            embedded broker ports (ignored with {@code kafka})
 * @param deployment        capture deployment name (slot {@code ruvector_<deployment>})
 * @param vectorPartitions  partitions of the vectors topic (fixed once the topic exists); 0 =
 *                          {@link #DEFAULT_VECTOR_PARTITIONS}
 * @param topics            topic prefix
 * @param schemaRegistryUrl optional Confluent Schema Registry; null uses the bundled ids
 * @param captureOnly       run broker and capture without the index (the index runs elsewhere)
 * @param kafka             bootstrap servers of an existing Kafka; null starts the embedded broker
 * @param indexOnly         run the index (and HTTP) without the capture: an additional instance
 *                          joining a runtime that captures
 * @param http              serve the HTTP API from the start (needed for several instances:
 *                          it is the address the others query); null serves none until
 *                          {@link EmbeddedRuntime#serveHttp(int)}
 * @param sampleInterval    cadence of integrity samples (capture, index) and of their evaluation;
 *                          null = 10 s
 * @param memoryBudgetBytes the index's memory budget, against which healing sees memory pressure
 *                          (above 85 %); 0 = this JVM's max heap
 * @param kubernetes        the index StatefulSet {@code scale_replicas} scales; null when not on Kubernetes
 * @param failover          how fast the index notices a lost instance, and standby reads meanwhile;
 *                          {@link FailoverSettings#DEFAULT} when null
 * @param roles             the parts this process runs; null derives them from {@code captureOnly} /
 *                          {@code indexOnly} ({@link Role#EMBEDDED_DEFAULT} when neither)
 * @param connect           where the normaliser role finds Debezium's committed offsets on Kafka Connect;
 *                          defaults when null
 * @param replication       replication of the topics this runtime creates; {@link Replication#SINGLE_BROKER} when null
 */
public record RuntimeConfig(Path dataDir, PgConnectionSettings postgres, BrokerConfig broker, String deployment,
                            int vectorPartitions, TopicNames topics, String schemaRegistryUrl, boolean captureOnly,
                            String kafka, boolean indexOnly, HttpSettings http, Duration sampleInterval,
                            long memoryBudgetBytes, KubernetesTarget kubernetes, FailoverSettings failover,
                            java.util.Set<Role> roles, ConnectSource connect, Replication replication) {

    /**
     * Two partitions unless asked. Every partition of an instance is a graph each search walks, so
     * fewer answer faster on one machine (docs/benchmarks.md, Fashion-MNIST, same run: 3,927 QPS at
     * recall 0.97 with 1 partition, 2,817 with 2, 829 with 8). Not 1: with a single partition the
     * capture's one routing link is a cut of the integrity graph on its own, and a slot backlog
     * during a bulk load drove healthy data to STRESS (CalibrationIT); and two let a second
     * instance share the index. The count is fixed when the topic is created: a deployment meant
     * to run more instances creates it with more (docs/index.md).
     */
    public static final int DEFAULT_VECTOR_PARTITIONS = 2;


    public RuntimeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(postgres, "postgres");
        broker = broker == null ? BrokerConfig.at(dataDir) : broker;
        deployment = deployment == null ? "default" : deployment;
        vectorPartitions = vectorPartitions == 0 ? DEFAULT_VECTOR_PARTITIONS : vectorPartitions;
        if (vectorPartitions < 1 || vectorPartitions > 1024) {
            throw new IllegalArgumentException("vector partitions must be in [1, 1024], got " + vectorPartitions);
        }
        topics = topics == null ? TopicNames.DEFAULT : topics;
        if (kafka != null && kafka.isBlank()) {
            throw new IllegalArgumentException("kafka bootstrap servers must not be blank");
        }
        if (roles == null && captureOnly && indexOnly) {
            throw new IllegalArgumentException("--capture-only and --index-only exclude each other");
        }
        sampleInterval = sampleInterval == null ? Duration.ofSeconds(10) : sampleInterval;
        failover = failover == null ? FailoverSettings.DEFAULT : failover;
        if (sampleInterval.isNegative() || sampleInterval.isZero()) {
            throw new IllegalArgumentException("sample interval must be positive, got " + sampleInterval);
        }
        if (memoryBudgetBytes < 0) {
            throw new IllegalArgumentException("memory budget must be >= 0 bytes (0 = the JVM's max heap), got "
                    + memoryBudgetBytes);
        }
        if (roles == null && indexOnly && kafka == null) {
            throw new IllegalArgumentException("an index-only instance joins an existing Kafka: give its bootstrap servers (--kafka)");
        }
        if (roles != null && !roles.contains(Role.CAPTURE) && kafka == null) {
            throw new IllegalArgumentException("a process without the capture role joins an existing Kafka: give its "
                    + "bootstrap servers (--kafka)");
        }
        if (roles == null) {
            roles = captureOnly ? java.util.Set.of(Role.CAPTURE)
                    : indexOnly ? java.util.Set.of(Role.INDEX, Role.INTEGRITY, Role.HEALING)
                    : Role.EMBEDDED_DEFAULT;
        }
        roles = Role.validate(roles);
        // the two flags are shorthands of role sets; held in step with the roles
        captureOnly = !roles.contains(Role.INDEX);
        indexOnly = !roles.contains(Role.CAPTURE) && !roles.contains(Role.NORMALISER);
        if (roles.contains(Role.NORMALISER) && kafka == null) {
            throw new IllegalArgumentException("the normaliser role reads Kafka Connect's topics: give the cluster's "
                    + "bootstrap servers (--kafka)");
        }
        connect = connect == null ? ConnectSource.DEFAULT : connect;
        replication = replication == null ? Replication.SINGLE_BROKER : replication;
        if (kafka == null && replication.factor() > 1) {
            throw new IllegalArgumentException("the embedded broker is a single node: a replication factor of "
                    + replication.factor() + " needs a Kafka cluster (--kafka)");
        }
    }

    public static RuntimeConfig of(Path dataDir, PgConnectionSettings postgres) {
        return new RuntimeConfig(dataDir, postgres, null, null, 0, null, null, false, null, false, null, null, 0, null, null, null, null, null);
    }

    public RuntimeConfig withBroker(BrokerConfig broker) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, kafka, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect, replication);
    }

    public RuntimeConfig withCaptureOnly(boolean captureOnly) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, kafka, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover,
                null, connect, replication);
    }

    /** On the Kafka at {@code bootstrap} instead of an embedded broker. */
    public RuntimeConfig withKafka(String bootstrap) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, bootstrap, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect, replication);
    }

    public RuntimeConfig withDeployment(String deployment) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, kafka, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect, replication);
    }

    public RuntimeConfig withVectorPartitions(int vectorPartitions) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, kafka, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect, replication);
    }

    /** An additional index instance on the Kafka at {@code bootstrap}: no broker, no capture. */
    public RuntimeConfig joining(String bootstrap) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                false, bootstrap, true, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, null, connect, replication);
    }

    public RuntimeConfig withHttp(HttpSettings http) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, kafka, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect, replication);
    }

    public RuntimeConfig withSampleInterval(Duration sampleInterval) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, kafka, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect, replication);
    }

    public RuntimeConfig withMemoryBudget(long memoryBudgetBytes) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, kafka, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect, replication);
    }

    public RuntimeConfig withKubernetes(KubernetesTarget kubernetes) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, kafka, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect, replication);
    }

    /** How the index detects a lost instance and whether standbys answer meanwhile. */
    public RuntimeConfig withFailover(FailoverSettings failover) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, kafka, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect, replication);
    }

    /** Under other topic names ({@code <prefix>.vectors}, {@code <prefix>.cdc.<schema>.<table>}, ...). */
    public RuntimeConfig withTopics(TopicNames topics) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, kafka, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect, replication);
    }

    /** The parts this process runs, as {@code --role} names them. */
    public RuntimeConfig withRoles(java.util.Set<Role> roles) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                false, kafka, false, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect, replication);
    }

    public RuntimeConfig withReplication(Replication replication) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, kafka, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect,
                replication);
    }

    public RuntimeConfig withConnect(ConnectSource connect) {
        return new RuntimeConfig(dataDir, postgres, broker, deployment, vectorPartitions, topics, schemaRegistryUrl,
                captureOnly, kafka, indexOnly, http, sampleInterval, memoryBudgetBytes, kubernetes, failover, roles, connect, replication);
    }

    /** Whether this runtime feeds the vectors topic from PostgreSQL: Debezium here, or the normaliser of Connect's topics. */
    public boolean runsCapture() {
        return roles.contains(Role.CAPTURE) || roles.contains(Role.NORMALISER);
    }

    /** Whether the capture is Debezium on Kafka Connect, normalised here. */
    public boolean capturesViaConnect() {
        return roles.contains(Role.NORMALISER);
    }

    /** Whether this runtime runs the index topology. */
    public boolean runsIndex() {
        return roles.contains(Role.INDEX);
    }

    public boolean runsIntegrity() {
        return roles.contains(Role.INTEGRITY);
    }

    public boolean runsHealing() {
        return roles.contains(Role.HEALING);
    }
}
