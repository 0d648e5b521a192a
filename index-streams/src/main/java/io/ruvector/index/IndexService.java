package io.ruvector.index;

import io.ruvector.index.cluster.LocalStandbys;
import io.ruvector.index.maintenance.MaintenanceControl;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.query.KnnQuery;
import io.ruvector.index.query.RowVersion;
import io.ruvector.index.query.RowVersionsQuery;
import io.ruvector.index.query.TransitMerge;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.query.StatsQuery;
import io.ruvector.index.query.VectorIndexQuery;
import io.ruvector.index.query.VectorRecord;
import io.ruvector.index.query.WatermarkQuery;
import io.ruvector.index.store.StoreMemory;
import io.ruvector.index.store.GraphMaintenance;
import io.ruvector.index.store.VectorIndexStore;
import io.ruvector.index.telemetry.ConsumerLag;
import io.ruvector.index.telemetry.MaintenanceJobs;
import io.ruvector.index.telemetry.PartitionActivity;
import io.ruvector.index.topology.CollectionsTopic;
import io.ruvector.index.topology.IndexConfig;
import io.ruvector.index.topology.IndexTopology;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.topic.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;

/**
 * Java API of the index for in-process users: runs IQv2 queries over this instance's partitions
 * and merges them. Cross-instance scatter/gather is the HTTP layer's job; with a single instance
 * (the embedded runtime) the local partitions are all of them.
 *
 * <p>Fails loudly rather than answering from a subset: a partition that cannot answer (not
 * running, rebalancing, a bad request) makes {@link #search} throw {@link IllegalStateException}
 * naming it. Thread-safe.
 */
public final class IndexService implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IndexService.class);

    private static final Duration POLL = Duration.ofMillis(10);

    /** The stores' shared native memory, owned here when this service started the application; else null. */
    private final StoreMemory storeMemory;
    private final KafkaStreams streams;
    private final GraphMaintenance maintenance;
    private final TopicNames topics;
    private final PartitionActivity activity;
    private final MaintenanceJobs jobs;
    private final MaintenanceControl control;
    private final RestoredPartitions restored;
    private final io.ruvector.index.drain.TaskPins pins;
    private final LocalStandbys standbys;

    /**
     * Wraps {@code streams} (running the {@link IndexTopology} on the default topics); the caller
     * keeps owning it and its maintenance. Its telemetry registries stay empty.
     */
    public IndexService(KafkaStreams streams) {
        this(streams, TopicNames.DEFAULT, new PartitionActivity(), new MaintenanceJobs());
    }

    /**
     * Wraps {@code streams}, running the topology that {@link IndexTopology#build(TopicNames,
     * SchemaRegistry, io.ruvector.index.graph.HnswSettings, GraphMaintenance, PartitionActivity,
     * MaintenanceJobs)} built with these {@code topics}, {@code activity} and {@code jobs}; the
     * caller keeps owning it and its maintenance.
     */
    public IndexService(KafkaStreams streams, TopicNames topics, PartitionActivity activity, MaintenanceJobs jobs) {
        this(streams, null, topics, activity, jobs, new MaintenanceControl(), null, new io.ruvector.index.drain.TaskPins(),
                new LocalStandbys(), null);
    }

    private IndexService(KafkaStreams streams, GraphMaintenance maintenance, TopicNames topics,
                         PartitionActivity activity, MaintenanceJobs jobs, MaintenanceControl control,
                         RestoredPartitions restored, io.ruvector.index.drain.TaskPins pins, LocalStandbys standbys,
                         StoreMemory storeMemory) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.storeMemory = storeMemory;
        this.maintenance = maintenance;
        this.topics = Objects.requireNonNull(topics, "topics");
        this.activity = Objects.requireNonNull(activity, "activity");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.control = Objects.requireNonNull(control, "control");
        this.restored = restored;
        this.pins = Objects.requireNonNull(pins, "pins");
        this.standbys = Objects.requireNonNull(standbys, "standbys");
    }

    /** The standby copies this instance keeps and their lag (empty for an application not started here). */
    public LocalStandbys standbys() {
        return standbys;
    }

    /** Where partitions' active tasks are pinned (drain_hot_partition); honoured only by an application started here. */
    public io.ruvector.index.drain.TaskPins taskPins() {
        return pins;
    }

    /**
     * Builds and starts the index application (creating the collections topic if it is missing),
     * with a background job that removes deleted graph nodes; {@link #close()} stops both. The
     * registry stays the caller's.
     */
    public static IndexService start(IndexConfig config, SchemaRegistry registry) {
        CollectionsTopic.ensure(config);
        // Pauses and integrity gates hold back the periodic cleanup and checkpointing jobs.
        MaintenanceControl control = new MaintenanceControl();
        GraphMaintenance maintenance = GraphMaintenance.scheduled(config.hnsw().maintenanceInterval(),
                control::mayRunPeriodic);
        PartitionActivity activity = new PartitionActivity();
        MaintenanceJobs jobs = new MaintenanceJobs(control);
        LocalStandbys standbys = new LocalStandbys(config.standbyMaxLagRecords());
        StoreMemory storeMemory = null;
        try {
            // Tasks go where the sticky assignment puts them unless pinned (drain_hot_partition).
            io.ruvector.index.drain.TaskPins pins = new io.ruvector.index.drain.TaskPins();
            java.util.Properties props = config.toProperties();
            props.put(org.apache.kafka.streams.StreamsConfig.TASK_ASSIGNOR_CLASS_CONFIG,
                    io.ruvector.index.drain.PinningTaskAssignor.class.getName());
            props.put(org.apache.kafka.streams.StreamsConfig.mainConsumerPrefix(io.ruvector.index.drain.TaskPins.CONFIG_KEY),
                    pins);
            // One bounded block cache and memtable budget for every store of this instance, unless
            // the caller brought a config setter of its own.
            if (!props.containsKey(org.apache.kafka.streams.StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)) {
                storeMemory = StoreMemory.allocate(config.storeMemory());
                props.put(org.apache.kafka.streams.StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
                        StoreMemory.ConfigSetter.class);
                props.put(StoreMemory.CONFIG_KEY, storeMemory);
            }
            KafkaStreams streams = new KafkaStreams(IndexTopology.build(config.topics(), registry, config.hnsw(),
                    maintenance, activity, jobs), props, new io.ruvector.index.drain.PinningClientSupplier(pins));
            RestoredPartitions restored = new RestoredPartitions(maintenance, standbys);
            streams.setStandbyUpdateListener(restored);
            streams.setGlobalStateRestoreListener(restored);
            streams.setStateListener((now, before) -> LOG.info("index application {} -> {}", before, now));
            streams.start();
            return new IndexService(streams, maintenance, config.topics(), activity, jobs, control, restored, pins, standbys,
                    storeMemory);
        } catch (RuntimeException e) {
            maintenance.close();
            if (storeMemory != null) {
                storeMemory.close();
            }
            throw e;
        }
    }

    /**
     * The global top-k over every local partition; {@link KnnResult#exact()} says whether every
     * partition answered exactly, {@link KnnResult#strategies()} how.
     */
    public KnnResult search(KnnRequest request) {
        try {
            return TransitMerge.search(request, r -> queryLocal(new KnnQuery(r)),
                    ids -> queryLocal(new RowVersionsQuery(request.collection(), ids, false)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while searching", e);
        }
    }

    /**
     * The live row {@code collection/id}: every local partition is asked (cdc-ingest routes ids by
     * its own bucket map, so the key's partition is not computable here); outside a bucket hand-off
     * at most one holds it, during one the newest state wins (a delete hides an older copy).
     */
    public Optional<VectorRecord> get(String collection, String id) {
        RowVersion newest = TransitMerge.newest(queryLocal(new RowVersionsQuery(collection, Set.of(id), true)).values(), id);
        return newest == null || newest.deleted() ? Optional.empty() : Optional.of(newest.row());
    }

    /** Counts and memory of {@code collection} per local active partition. */
    public Map<Integer, CollectionStats> stats(String collection) {
        return queryLocal(new StatsQuery(collection));
    }

    /**
     * {@code query}'s answer from every local active partition, by partition.
     *
     * @throws IllegalStateException naming the partitions that could not answer
     */
    public <R> Map<Integer, R> queryLocal(VectorIndexQuery<R> query) {
        return answers(query, StateQueryRequest.inStore(IndexTopology.STORE_NAME).withQuery(query).requireActive());
    }

    /** {@code query}'s answer from {@code partitions} (local active ones), as {@link #queryLocal(VectorIndexQuery)}. */
    public <R> Map<Integer, R> queryLocal(VectorIndexQuery<R> query, Set<Integer> partitions) {
        return answers(query, StateQueryRequest.inStore(IndexTopology.STORE_NAME).withQuery(query)
                .withPartitions(partitions).requireActive());
    }

    /** The watermark LSN of each local active partition ({@code -1} before the first watermark). */
    public Map<Integer, Long> watermarks() {
        return queryLocal(new WatermarkQuery());
    }

    /**
     * Waits until every local active partition's watermark is at least {@code lsn}: after that,
     * every transaction committed before {@code lsn} is searchable (read-your-writes).
     *
     * @throws TimeoutException naming the lagging partitions when {@code timeout} passes first
     */
    public void awaitWatermark(long lsn, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (true) {
            try {
                Map<Integer, Long> marks = watermarks();
                Set<Integer> expected = localActivePartitions();
                if (!expected.isEmpty() && marks.keySet().containsAll(expected)
                        && marks.values().stream().allMatch(mark -> mark >= lsn)) {
                    return;
                }
                last = "watermarks " + marks + ", local partitions " + expected;
            } catch (RuntimeException e) { // not running yet, rebalancing: keep waiting
                last = e.getMessage();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("index watermark did not reach LSN " + lsn + " within " + timeout
                        + " (" + last + ")");
            }
            Thread.sleep(POLL);
        }
    }

    /**
     * Whether searches here return complete answers: the application RUNNING, no active partition
     * restoring or still building its in-memory index, and every active partition fetched and within
     * {@code lagBudgetRecords} of the vectors topic's end. Cheap (local metadata and client metrics,
     * no broker call) and never waits for a build.
     */
    public IndexReadiness readiness(long lagBudgetRecords) {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            return IndexReadiness.of(state, Set.of(), Set.of(), Set.of(), Map.of(), lagBudgetRecords, topics.vectors());
        }
        Set<Integer> partitions = localActivePartitions();
        Set<Integer> restoring = restored == null ? Set.of() : restored.restoring();
        return IndexReadiness.of(state, partitions, restoring, notWarmed(partitions),
                ConsumerLag.of(streams.metrics(), topics.vectors()), lagBudgetRecords, topics.vectors());
    }

    /** Of {@code partitions}, those with an open store whose in-memory index is not built yet. */
    private Set<Integer> notWarmed(Set<Integer> partitions) {
        Set<Integer> out = new TreeSet<>();
        for (VectorIndexStore store : openStoresOf(partitions)) {
            if (!store.warmed()) {
                out.add(store.partition());
            }
        }
        return out;
    }

    /** The underlying application (state listeners, metrics). */
    public KafkaStreams streams() {
        return streams;
    }

    /** The topics the index reads. */
    public TopicNames topics() {
        return topics;
    }

    /** What each partition applied and answered in the current telemetry window. */
    public PartitionActivity activity() {
        return activity;
    }

    /** The graph rebuilds and cleanups running now. */
    public MaintenanceJobs jobs() {
        return jobs;
    }

    /**
     * The registry of maintenance jobs (same as {@link #jobs()}): a long job of one collection is
     * started with {@link MaintenanceJobs#start(io.ruvector.index.telemetry.JobKind, String, int, Duration)}
     * and calls {@code checkpoint()} between slices, so that {@code pause_maintenance} pauses it.
     */
    public MaintenanceJobs maintenanceJobs() {
        return jobs;
    }

    /** Pauses and integrity gates of this application's maintenance; feed it integrity states with {@code updateGate}. */
    public MaintenanceControl maintenanceControl() {
        return control;
    }

    /**
     * The stores of this instance's active partitions (what compaction works on); empty when this
     * service wraps an application whose maintenance it does not own.
     */
    public List<VectorIndexStore> localStores() {
        return openStoresOf(localActivePartitions());
    }

    /** The open stores of {@code partitions}; none when this service does not own the application's maintenance. */
    private List<VectorIndexStore> openStoresOf(Set<Integer> partitions) {
        if (maintenance == null) {
            return List.of();
        }
        List<VectorIndexStore> open = new ArrayList<>();
        for (VectorIndexStore store : maintenance.stores()) {
            if (partitions.contains(store.partition()) && store.isOpen()) {
                open.add(store);
            }
        }
        return open;
    }

    /** Closes the application and its maintenance if {@link #start} created them; otherwise leaves them to their owner. */
    @Override
    public void close() {
        boolean closed = true;
        if (maintenance != null) {
            // Leave the group so that another instance takes the partitions over at once instead
            // of waiting out the session timeout.
            closed = streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            maintenance.close();
        }
        if (storeMemory != null && closed) { // only after every store that shares it closed: else left to the process
            storeMemory.close();
        }
    }

    /**
     * Runs {@code request} and returns every partition's answer. Outside RUNNING (e.g. during a
     * rebalance) some partitions are not hosted here for a moment; their absence must not pass for
     * an answer, so that and any partition expected but silent is a failure.
     */
    private <R> Map<Integer, R> answers(VectorIndexQuery<R> query, StateQueryRequest<R> request) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new IllegalStateException("the index is " + streams.state() + ", not RUNNING; retry shortly");
        }
        Set<Integer> expected = request.isAllPartitions() ? localActivePartitions() : request.getPartitions();
        StateQueryResult<R> result = streams.query(request.isAllPartitions() ? request.withPartitions(expected) : request);
        Map<Integer, R> answers = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<Integer, QueryResult<R>> partition : result.getPartitionResults().entrySet()) {
            QueryResult<R> answer = partition.getValue();
            if (answer.isSuccess()) {
                answers.put(partition.getKey(), answer.getResult());
            } else {
                failures.add("partition " + partition.getKey() + ": " + answer.getFailureReason() + " "
                        + answer.getFailureMessage());
            }
        }
        expected.stream().filter(p -> !answers.containsKey(p) && result.getPartitionResults().get(p) == null)
                .forEach(p -> failures.add("partition " + p + ": no answer (moving)"));
        if (!failures.isEmpty()) {
            throw new IllegalStateException("index query " + query + " failed on " + failures);
        }
        return answers;
    }

    private Set<Integer> localActivePartitions() {
        Set<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().forEach(tp -> partitions.add(tp.partition()));
            }
        }
        return partitions;
    }
}
