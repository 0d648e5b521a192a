package io.ruvector.compose.runtime;

import io.ruvector.cdc.collection.CollectionCatalog;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.cdc.collection.CompactedTopicFeed;
import io.ruvector.cdc.engine.CaptureConfig;
import io.ruvector.cdc.engine.Capture;
import io.ruvector.cdc.engine.CaptureEngine;
import io.ruvector.cdc.engine.ConnectNormaliser;
import io.ruvector.cdc.engine.ConnectNormaliserConfig;
import io.ruvector.cdc.engine.CaptureMetrics;
import io.ruvector.cdc.rebalance.RebalanceCommandExecutor;
import io.ruvector.cdc.route.PartitionRouter;
import io.ruvector.cdc.route.RouteAnnouncer;
import io.ruvector.cdc.telemetry.CaptureTelemetry;
import io.ruvector.cdc.throttle.IngestGates;
import io.ruvector.compose.broker.EmbeddedKafkaBroker;
import io.ruvector.compose.healing.CommandDispatcher;
import io.ruvector.healing.HealingConfig;
import io.ruvector.healing.HealingService;
import io.ruvector.cdc.throttle.ThrottleCommandExecutor;
import io.ruvector.schemas.healing.CommandExecutor;
import io.ruvector.schemas.healing.Strategies;
import io.ruvector.compose.http.HttpApiServer;
import io.ruvector.compose.metrics.RuntimeMetrics;
import io.ruvector.index.IndexService;
import io.ruvector.index.cluster.ClusterQueries;
import io.ruvector.index.maintenance.IndexCommandExecutor;
import io.ruvector.index.telemetry.IndexTelemetry;
import io.ruvector.index.telemetry.TelemetrySettings;
import io.ruvector.index.topology.IndexConfig;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.integrity.IntegrityService;
import io.ruvector.integrity.topology.IntegrityConfig;
import io.ruvector.integrity.topology.IntegritySettings;
import io.ruvector.schemas.IntegrityPolicy;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.PartitionMap;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.registry.RuvectorSchemas;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.registry.SchemaRegistryConfig;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.serde.AvroUnionSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The default single-JVM runtime: an embedded KRaft broker, the topic map, the collections and
 * partition-map feeds, the Debezium capture, the HTTP API and the index topology, closed in
 * reverse order. With {@link RuntimeConfig#indexOnly()} it is an additional index instance on an
 * existing Kafka: no broker, no capture.
 */
public final class EmbeddedRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRuntime.class);

    private final RuntimeConfig config;
    private final Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> started = new ArrayList<>();
    private final CollectionCatalog catalog = new CollectionCatalog();
    // Parts are set on the starting thread while the HTTP API (started early) already reads them: volatile.
    private volatile EmbeddedKafkaBroker broker;
    private volatile Admin admin;
    private SchemaRegistry registry;
    private Producer<String, SpecificRecord> producer;
    private Producer<String, CollectionSpec> collectionsProducer;
    private volatile Capture capture;
    private volatile IndexService index;
    private volatile HttpApiServer http;
    private volatile ClusterQueries cluster;
    private ExecutorService peerPool;
    private volatile RuntimeMetrics metrics;
    private volatile CaptureTelemetry captureTelemetry;
    private volatile IntegrityService integrity;
    private volatile Producer<String, IntegrityPolicy> policies;
    private Producer<String, IntegritySample> samples;
    private final IntegrityView integrityView = new IntegrityView();
    private volatile HealingService healing;
    private final RuntimeHealth health = new RuntimeHealth(this);
    private final List<CommandExecutor> executors = new ArrayList<>();
    private int vectorPartitions;

    public EmbeddedRuntime(RuntimeConfig config) {
        this.config = config;
    }

    public EmbeddedRuntime start() throws InterruptedException {
        if (config.runsCapture()) {
            health.catchUpTo(PostgresPreflight.check(config.postgres()));
        }
        try {
            startComponents();
        } catch (RuntimeException | InterruptedException e) {
            close(); // whatever did start must not outlive a failed start
            throw e;
        }
        return this;
    }

    private void startComponents() throws InterruptedException {
        metrics = track(new RuntimeMetrics());
        metrics.bindHealth(health::report);
        if (config.kafka() == null) {
            broker = track(new EmbeddedKafkaBroker(config.broker()).start());
        }
        // kept open: health checks ask it whether the brokers answer
        Admin clusterAdmin = track(Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers())));
        vectorPartitions = TopicProvisioner.ensure(clusterAdmin, config.topics(), config.vectorPartitions(), config.replication());
        admin = clusterAdmin;
        SchemaRegistryConfig registryConfig = config.schemaRegistryUrl() == null
                ? new SchemaRegistryConfig(null, null, null, bootstrapServers(), config.replication().factor(), null, null)
                : SchemaRegistryConfig.confluent(config.schemaRegistryUrl());
        registry = track(SchemaRegistries.fromConfig(registryConfig));
        RuvectorSchemas.registerAll(registry);
        producer = track(new KafkaProducer<>(producerProperties(), new StringSerializer(), vectorValues().serializer()));
        collectionsProducer = track(new KafkaProducer<>(producerProperties(), new StringSerializer(),
                AvroSerde.forValues(registry, CollectionSpec.class)));
        PartitionRouter router = new PartitionRouter(vectorPartitions);
        // Where this instance captures, a new epoch is announced to the index in order with the changes.
        RouteAnnouncer announcer = new RouteAnnouncer(router, producer, config.topics().vectors(), config.deployment(),
                catalog::byName, clock);
        java.util.function.Consumer<PartitionMap> installMap = config.runsCapture() ? announcer::install : router::install;
        CompactedTopicFeed<PartitionMap> maps = track(new CompactedTopicFeed<>(bootstrapServers(),
                config.topics().partitionMap(), AvroSerde.forValues(registry, PartitionMap.class), installMap::accept).start());
        CompactedTopicFeed<CollectionSpec> collections = track(new CompactedTopicFeed<>(bootstrapServers(),
                config.topics().collections(), AvroSerde.forValues(registry, CollectionSpec.class), catalog::put).start());
        if (!maps.awaitCaughtUp(Duration.ofSeconds(60)) || !collections.awaitCaughtUp(Duration.ofSeconds(60))) {
            throw new IllegalStateException("could not read the collections and partition-map topics within 60 s");
        }
        if (config.http() != null) {
            // Bound before the index starts: its address is the application.server other instances query.
            http = track(HttpApiServer.start(this, new InetSocketAddress(config.http().bindHost(), config.http().port()),
                    config.http().server()));
        }
        track(new CompactedTopicFeed<>(bootstrapServers(), config.topics().integrityState(),
                AvroSerde.forValues(registry, IntegrityState.class), integrityView::update).start());
        policies = track(new KafkaProducer<>(producerProperties(), new StringSerializer(),
                AvroSerde.forValues(registry, IntegrityPolicy.class)));
        // one producer for the capture's and the index's integrity samples
        samples = track(new KafkaProducer<>(producerProperties(), new StringSerializer(),
                AvroSerde.forValues(registry, IntegritySample.class)));
        metrics.bindIntegrity(integrityView);
        if (config.runsIndex()) {
            startIndex();
        }
        if (config.runsIntegrity()) {
            startIntegrity();
        }
        if (config.runsHealing()) {
            startHealing();
        }
        // The capture starts last so that it stops first: a shutdown stops taking changes from
        // PostgreSQL before the index and integrity applications take their time to leave.
        if (config.runsCapture()) {
            startCapture(router, announcer);
        }
        if (!executors.isEmpty()) {
            // after every executor exists, so that a restart restores lasting effects (throttles, pauses) into them
            track(new CommandDispatcher(bootstrapServers(), config.topics(), registry, executors, clock).start());
        }
        LOG.debug("runtime started: kafka {}, {} collection(s), {} vector partitions{}{}", bootstrapServers(),
                catalog.all().size(), vectorPartitions, config.runsCapture() ? ", capturing" : "",
                http == null ? "" : ", HTTP port " + http.port());
        track(new ReadinessLog(health::report).start());
    }

    private void startIntegrity() {
        IntegritySettings settings = new IntegritySettings(config.sampleInterval(), config.sampleInterval().multipliedBy(3),
                null, 20, true, null, null, null, null);
        IntegrityConfig integrityConfig = new IntegrityConfig(null, config.dataDir().resolve("integrity-state"),
                bootstrapServers(), config.topics(), config.dataDir().resolve("integrity-keys"), settings, streamsOverrides(GROUP_LIVENESS));
        integrity = track(IntegrityService.start(integrityConfig, registry));
    }

    /** The healing engine runs beside the integrity application: it reads the states that one writes. */
    private void startHealing() {
        HealingConfig healingConfig = new HealingConfig(null, config.dataDir().resolve("healing-state"), bootstrapServers(),
                config.topics(), null, classifierSettings(config), EXECUTABLE_STRATEGIES, null, streamsOverrides(GROUP_LIVENESS));
        healing = track(HealingService.start(healingConfig, registry, integrity.signer()));
        metrics.bindHealing(healing);
    }

    /**
     * The integrity and healing applications are dynamic group members (exactly-once): after a
     * crash their old members hold the partitions until the session times out. 10 s instead of the
     * consumer's 45 s lets a restarted runtime take them back (and shut down) that much sooner.
     */
    static final Map<String, String> GROUP_LIVENESS = Map.of("session.timeout.ms", "10000",
            "heartbeat.interval.ms", "1000");

    /** {@code base} plus the replication of the changelog and repartition topics Kafka Streams creates. */
    private Map<String, String> streamsOverrides(Map<String, String> base) {
        Map<String, String> overrides = new HashMap<>(base);
        overrides.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(config.replication().factor()));
        overrides.put(StreamsConfig.topicPrefix(org.apache.kafka.common.config.TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                Integer.toString(config.replication().minInsync()));
        return overrides;
    }

    /** The classifier's defaults with this runtime's memory budget (0 keeps the JVM's max heap). */
    private static io.ruvector.healing.classify.ClassifierSettings classifierSettings(RuntimeConfig config) {
        var d = io.ruvector.healing.classify.ClassifierSettings.DEFAULTS;
        return new io.ruvector.healing.classify.ClassifierSettings(d.hotspotPartitionLinks(), d.skewCentroidNodes(),
                d.maintenanceDependencyEdges(), d.memoryBudgetFraction(), config.memoryBudgetBytes(),
                d.fragmentationFraction(), d.lagBudgetFraction());
    }

    /** Strategies whose executors this product builds (the capture's throttle, the index's maintenance). */
    static final java.util.Set<String> EXECUTABLE_STRATEGIES = java.util.Set.of(Strategies.THROTTLE_INGESTION,
            Strategies.PAUSE_MAINTENANCE, Strategies.COMPACT_INDEXES, Strategies.REBUILD_CENTROIDS,
            Strategies.REBALANCE_PARTITIONS, Strategies.EVICT_COLD_DATA, Strategies.SCALE_REPLICAS,
            Strategies.DRAIN_HOT_PARTITION);

    private void startCapture(PartitionRouter router, RouteAnnouncer announcer) {
        CaptureConfig captureConfig = new CaptureConfig(config.deployment(), config.postgres(), bootstrapServers(), null,
                null, 0, 0, null, null, null, config.sampleInterval());
        IngestGates gates = new IngestGates(captureConfig.throttle(), clock);
        track(new CompactedTopicFeed<>(bootstrapServers(), config.topics().integrityState(),
                AvroSerde.forValues(registry, IntegrityState.class), state -> gates.update(state.getScope(), state)).start());
        Capture engine = config.capturesViaConnect()
                ? track(new ConnectNormaliser(new ConnectNormaliserConfig(config.deployment(), bootstrapServers(),
                        config.topics(), config.connect().connector(), config.connect().offsetsTopic(), null), catalog, router,
                        producer, clock, gates))
                : track(new CaptureEngine(captureConfig, catalog, router, producer, clock, gates));
        executors.add(new ThrottleCommandExecutor(gates, config.deployment(), clock));
        Producer<String, PartitionMap> mapProducer = track(new KafkaProducer<>(producerProperties(), new StringSerializer(),
                AvroSerde.forValues(registry, PartitionMap.class)));
        executors.add(new RebalanceCommandExecutor(router, announcer, mapProducer, config.topics().partitionMap(),
                catalog::byName, config.deployment(), clock));
        engine.start();
        metrics.bindCapture(engine.metrics());
        captureTelemetry = track(new CaptureTelemetry(captureConfig, catalog, engine, samples, clock).start());
        capture = engine; // last: the API registers collections only once the capture can take them
    }

    private void startIndex() {
        Map<String, String> extra = new HashMap<>(streamsOverrides(InstanceIdentity.of(config.dataDir()).staticMembership("index")));
        HostInfo self = HostInfo.unavailable();
        if (http != null) {
            self = new HostInfo(config.http().advertisedHost(), http.port());
            extra.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        }
        // One standby: with a single instance Kafka Streams has nowhere to put it and ignores it;
        // with two or more every partition has a warm copy elsewhere for a fast failover.
        IndexConfig indexConfig = new IndexConfig(null, config.dataDir().resolve("index-state"), bootstrapServers(),
                config.topics(), 1, extra).withFailover(config.failover());
        IndexService started = track(IndexService.start(indexConfig, registry));
        metrics.bindIndex(started.streams());
        peerPool = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("ruvector-peer-", 0).factory());
        track(peerPool::shutdownNow);
        cluster = new ClusterQueries(started.streams(), self, config.topics().vectors(), vectorPartitions, peerPool,
                started.standbys());
        metrics.bindFailover(cluster, started.standbys());
        index = started;
        TelemetrySettings defaults = TelemetrySettings.DEFAULTS;
        TelemetrySettings telemetry = new TelemetrySettings(config.sampleInterval(), // centroids every 6 samples (60 s by default)
                config.sampleInterval().multipliedBy(6), defaults.centroids(), defaults.reservoir(),
                defaults.kmeansIterations(), defaults.jobOverrun());
        String instanceId = self.equals(HostInfo.unavailable()) ? "index@" + config.deployment() : self.host() + ":" + self.port();
        IndexTelemetry indexTelemetry = track(IndexTelemetry.start(index, samples, telemetry, instanceId, clock));
        // the index's maintenance gate follows the integrity states (§5: high-risk work waits while stressed)
        track(new CompactedTopicFeed<>(bootstrapServers(), config.topics().integrityState(),
                AvroSerde.forValues(registry, IntegrityState.class),
                state -> index.maintenanceControl().updateGate(state.getScope(), state)).start());
        executors.add(IndexCommandExecutor.of(index, indexTelemetry, instanceId, clock));
        executors.add(new io.ruvector.index.scale.ScaleCommandExecutor(instanceId,
                io.ruvector.index.scale.StreamThreads.of(index.streams()), config.kubernetes() == null ? null
                : new io.ruvector.index.scale.StatefulSetScaler(config.kubernetes()), clock));
        executors.add(new io.ruvector.index.drain.DrainCommandExecutor(instanceId, index.streams(), index.taskPins(),
                config.topics().vectors(), clock));
    }

    /** Checks the table, stores the collection on the collections topic and starts capturing it. */
    public CollectionSpec register(CollectionRequest request, int dimensionsHint) throws SQLException, InterruptedException {
        CollectionSpec spec = new CollectionRegistrar(config.postgres(), config.topics(), collectionsProducer, clock)
                .register(request, dimensionsHint, vectorPartitions, catalog::byName);
        catalog.put(spec);
        return spec;
    }

    /**
     * Stores collection {@code name}'s tier policy ({@code null}: none) on the collections topic;
     * the index partitions apply it at their next spec refresh. Returns the new spec.
     *
     * @throws IllegalArgumentException when no such collection is registered
     */
    public CollectionSpec setTiers(String name, io.ruvector.schemas.TierPolicy tiers) throws InterruptedException {
        return updateSpec(name, (registrar, current) -> registrar.withTiers(current, tiers));
    }

    /** Sets (or with null removes) a collection's shadow-read policy; stored with its spec like the tiers. */
    public CollectionSpec setShadow(String name, io.ruvector.schemas.ShadowPolicy shadow) throws InterruptedException {
        return updateSpec(name, (registrar, current) -> registrar.withShadow(current, shadow));
    }

    private interface SpecUpdate {
        CollectionSpec apply(CollectionRegistrar registrar, CollectionSpec current) throws InterruptedException;
    }

    /** Stores {@code update} of collection {@code name}'s spec and holds it in the catalog at once. */
    private CollectionSpec updateSpec(String name, SpecUpdate update) throws InterruptedException {
        CollectionSpec current = catalog.byName(name);
        if (current == null) {
            throw new IllegalArgumentException("no collection named '" + name + "'");
        }
        CollectionSpec spec = update.apply(new CollectionRegistrar(config.postgres(), config.topics(), collectionsProducer,
                clock), current);
        catalog.put(spec);
        return spec;
    }

    /** Serde of the vectors and dead-letter topics' values. */
    public AvroUnionSerde vectorValues() {
        return io.ruvector.index.topology.IndexTopology.valueSerde(registry);
    }

    public String bootstrapServers() {
        return config.kafka() != null ? config.kafka() : broker.bootstrapServers();
    }

    public CollectionCatalog catalog() {
        return catalog;
    }

    public CaptureMetrics captureMetrics() {
        return capture().metrics();
    }

    /**
     * The capture engine.
     *
     * @throws PartStarting while it is being started
     * @throws PartNotHere   when this process's roles leave it out
     */
    public Capture capture() {
        Capture c = capture;
        if (c == null) {
            if (config.runsCapture()) {
                throw new PartStarting("capture");
            }
            throw new PartNotHere("capture", "this process does not capture (roles " + roleNames()
                    + "): ask the process that runs the capture or normaliser role");
        }
        return c;
    }

    private String roleNames() {
        return String.join(",", config.roles().stream().sorted().map(Role::cliName).toList());
    }

    /** The health of every part this runtime runs (what {@code /health/ready} answers). */
    public io.ruvector.compose.runtime.health.HealthReport health() {
        return health.report();
    }

    Admin adminOrNull() {
        return admin;
    }

    Capture captureOrNull() {
        return capture;
    }

    IndexService indexOrNull() {
        return index;
    }

    IntegrityService integrityOrNull() {
        return integrity;
    }

    /**
     * The HTTP API: the one started with the runtime ({@link RuntimeConfig#http()}), else a new
     * one on 127.0.0.1:{@code port} (0 = a free port). It closes with the runtime.
     */
    public synchronized HttpApiServer serveHttp(int port) {
        if (http == null) {
            http = track(HttpApiServer.start(this, port));
        }
        return http;
    }

    /** The capture's integrity telemetry (samples every 10 s by default). */
    public CaptureTelemetry captureTelemetry() {
        capture();
        CaptureTelemetry t = captureTelemetry;
        if (t == null) {
            throw new PartStarting("capture");
        }
        return t;
    }

    /** The integrity application (signing key, local state queries); only where the index runs. */
    public IntegrityService integrity() {
        IntegrityService i = integrity;
        if (i == null) {
            if (config.runsIntegrity()) {
                throw new PartStarting("integrity");
            }
            throw new PartNotHere("integrity", "this process does not run the integrity application (roles " + roleNames() + ")");
        }
        return i;
    }

    /** The healing engine, or null where it does not run (a capture-only process) or has not started yet. */
    public HealingService healingOrNull() {
        return healing;
    }

    /**
     * The healing engine.
     *
     * @throws PartStarting while it is being started
     * @throws PartNotHere   when this process's roles leave it out
     */
    public HealingService healing() {
        HealingService h = healing;
        if (h == null) {
            if (config.runsHealing()) {
                throw new PartStarting("healing");
            }
            throw new PartNotHere("healing", "this process does not run the healing engine (roles " + roleNames() + ")");
        }
        return h;
    }

    /** Every collection's integrity state, read from the state topic. */
    public IntegrityView integrityView() {
        return integrityView;
    }

    /** Publishes a collection's (or tenant's) integrity policy override; the integrity application applies it. */
    public void publishPolicy(IntegrityPolicy policy) throws InterruptedException {
        if (policies == null) {
            throw new PartStarting("integrity");
        }
        String key = policy.getTenant() == null ? policy.getCollection() : policy.getCollection() + "/" + policy.getTenant();
        try {
            policies.send(new ProducerRecord<>(config.topics().integrityPolicies(), key, policy)).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Kafka did not accept the policy of " + key + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** The runtime's meters (scraped at {@code GET /metrics}). */
    public RuntimeMetrics metrics() {
        return metrics;
    }

    /** Queries over every instance of the index (this one and its peers). */
    public ClusterQueries cluster() {
        index();
        return cluster; // set before the index: non-null once index() returns
    }

    /**
     * kNN queries over the index (IQv2 over this runtime's partitions).
     *
     * @throws PartStarting while it is being started
     * @throws PartNotHere   when this process's roles leave it out
     */
    public IndexService index() {
        IndexService i = index;
        if (i == null) {
            if (config.runsIndex()) {
                throw new PartStarting("index");
            }
            throw new PartNotHere("index", "this process does not run the index (roles " + roleNames()
                    + "): query a process with the index role");
        }
        return i;
    }

    public RuntimeConfig config() {
        return config;
    }

    public int vectorPartitions() {
        return vectorPartitions;
    }

    private Map<String, Object> producerProperties() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    }

    private <T extends AutoCloseable> T track(T component) {
        started.add(component);
        return component;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", started.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
        started.clear();
    }
}
