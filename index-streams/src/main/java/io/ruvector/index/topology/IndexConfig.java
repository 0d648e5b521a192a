package io.ruvector.index.topology;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.store.StoreMemorySettings;
import io.ruvector.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings of the index application. The compact constructor validates and fills defaults, so a
 * bad value fails here, naming the setting, rather than deep inside Kafka Streams.
 *
 * @param applicationId       Kafka Streams application id (consumer group, changelog prefix), default
 *                            {@value #DEFAULT_APPLICATION_ID}
 * @param stateDir            Kafka Streams state directory
 * @param bootstrapServers    the Kafka cluster
 * @param topics              topic names, {@link TopicNames#DEFAULT} when null
 * @param numStandbyReplicas  warm copies of each partition on other instances, default 0
 * @param extra               further Kafka Streams properties (override nothing above), empty when null
 * @param hnsw                graph and search-strategy settings, {@link HnswSettings#DEFAULT} when null
 * @param failover            group liveness and standby reads, {@link FailoverSettings#DEFAULT} when null
 * @param storeMemory         the RocksDB stores' shared native memory, {@link StoreMemorySettings#DEFAULT} when null
 */
public record IndexConfig(String applicationId, Path stateDir, String bootstrapServers, TopicNames topics,
                          int numStandbyReplicas, Map<String, String> extra, HnswSettings hnsw,
                          FailoverSettings failover, StoreMemorySettings storeMemory) {

    public static final String DEFAULT_APPLICATION_ID = "ruvector-index";

    public IndexConfig {
        applicationId = applicationId == null ? DEFAULT_APPLICATION_ID : applicationId;
        if (!applicationId.matches("[a-zA-Z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("index application id '" + applicationId
                    + "' must be 1-200 characters of letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("index bootstrap servers must not be blank");
        }
        topics = topics == null ? TopicNames.DEFAULT : topics;
        if (numStandbyReplicas < 0) {
            throw new IllegalArgumentException("index standby replicas must be >= 0, was " + numStandbyReplicas);
        }
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        for (String key : extra.keySet()) {
            if (key.equals(StreamsConfig.APPLICATION_ID_CONFIG) || key.equals(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)
                    || key.equals(StreamsConfig.STATE_DIR_CONFIG) || key.equals(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)
                    || key.equals(SESSION_TIMEOUT) || key.equals(HEARTBEAT_INTERVAL)) {
                throw new IllegalArgumentException("extra index property '" + key + "' duplicates a dedicated setting");
            }
        }
        hnsw = hnsw == null ? HnswSettings.DEFAULT : hnsw;
        failover = failover == null ? FailoverSettings.DEFAULT : failover;
        storeMemory = storeMemory == null ? StoreMemorySettings.DEFAULT : storeMemory;
    }

    private static final String SESSION_TIMEOUT = "session.timeout.ms";
    private static final String HEARTBEAT_INTERVAL = "heartbeat.interval.ms";

    /** Default store memory. */
    public IndexConfig(String applicationId, Path stateDir, String bootstrapServers, TopicNames topics,
                       int numStandbyReplicas, Map<String, String> extra, HnswSettings hnsw, FailoverSettings failover) {
        this(applicationId, stateDir, bootstrapServers, topics, numStandbyReplicas, extra, hnsw, failover, null);
    }

    /** Default failover settings. */
    public IndexConfig(String applicationId, Path stateDir, String bootstrapServers, TopicNames topics,
                       int numStandbyReplicas, Map<String, String> extra, HnswSettings hnsw) {
        this(applicationId, stateDir, bootstrapServers, topics, numStandbyReplicas, extra, hnsw, null);
    }

    /** Default graph settings. */
    public IndexConfig(String applicationId, Path stateDir, String bootstrapServers, TopicNames topics,
                       int numStandbyReplicas, Map<String, String> extra) {
        this(applicationId, stateDir, bootstrapServers, topics, numStandbyReplicas, extra, null);
    }

    /** Defaults for everything but where to connect and where to keep state. */
    public static IndexConfig of(String bootstrapServers, Path stateDir) {
        return new IndexConfig(null, stateDir, bootstrapServers, null, 0, null, null);
    }

    /** These settings with other graph settings. */
    public IndexConfig withHnsw(HnswSettings settings) {
        return new IndexConfig(applicationId, stateDir, bootstrapServers, topics, numStandbyReplicas, extra, settings,
                failover, storeMemory);
    }

    /** These settings with other failover settings. */
    public IndexConfig withFailover(FailoverSettings settings) {
        return new IndexConfig(applicationId, stateDir, bootstrapServers, topics, numStandbyReplicas, extra, hnsw, settings,
                storeMemory);
    }

    /** These settings with another native memory budget for the stores. */
    public IndexConfig withStoreMemory(StoreMemorySettings settings) {
        return new IndexConfig(applicationId, stateDir, bootstrapServers, topics, numStandbyReplicas, extra, hnsw, failover,
                settings);
    }

    /** Records a standby may be behind and still answer (-1 when standby reads are off: none answers). */
    public long standbyMaxLagRecords() {
        return failover.standbyReads() ? failover.standbyMaxLagRecords() : -1;
    }

    /** The Kafka Streams properties. */
    public Properties toProperties() {
        Properties props = new Properties();
        // The collection-spec global store runs on the global thread: opt it into the processing
        // exception handler now, as Kafka Streams 5 will by default (and as its startup WARN asks).
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // Kafka 5.0 enables it by default; enabling it now also silences a start-up warning per global store.
        props.put("processing.exception.handler.global.enabled", "true");
        props.putAll(extra);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, numStandbyReplicas);
        props.put(StreamsConfig.mainConsumerPrefix(SESSION_TIMEOUT), (int) failover.sessionTimeout().toMillis());
        props.put(StreamsConfig.mainConsumerPrefix(HEARTBEAT_INTERVAL), (int) failover.heartbeatInterval().toMillis());
        return props;
    }
}
