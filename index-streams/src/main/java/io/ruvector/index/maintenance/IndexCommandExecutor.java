package io.ruvector.index.maintenance;

import io.ruvector.index.IndexService;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.store.ColdEviction;
import io.ruvector.index.store.PartitionCompaction;
import io.ruvector.index.store.VectorIndexStore;
import io.ruvector.index.telemetry.IndexTelemetry;
import io.ruvector.index.telemetry.JobState;
import io.ruvector.index.telemetry.MaintenanceJobs;
import io.ruvector.index.telemetry.RunningJob;
import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.CommandAcks;
import io.ruvector.schemas.healing.GuardedCommand;
import io.ruvector.schemas.healing.CommandExecutor;
import io.ruvector.schemas.healing.Strategies;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index's {@link CommandExecutor}: applies {@code pause_maintenance}, {@code compact_indexes}
 * and {@code rebuild_centroids} to this instance's active partitions, answers dry runs with the
 * plan, expired commands with EXPIRED, and rolls back by original command id what it can (the
 * undo information lives in memory: a restart forgets it, and {@link #restore} re-installs pauses).
 * Never throws for a command: every problem is a FAILED ack naming it. Thread-safe; the dispatcher
 * normally calls it from one thread.
 */
public final class IndexCommandExecutor implements CommandExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(IndexCommandExecutor.class);

    /** pause_maintenance: longest wait for running jobs to reach a checkpoint, ms. */
    public static final String PARAM_DRAIN_MILLIS = "drain_millis";
    /** compact_indexes: {@code true} compacts even when the integrity gate defers or rejects high-risk work. */
    public static final String PARAM_FORCE = "force";
    static final long DEFAULT_DRAIN_MILLIS = 2_000;
    static final long DEFAULT_SLICE_MILLIS = 50;
    static final long DEFAULT_TOMBSTONE_RETENTION_MILLIS = Duration.ofHours(1).toMillis();
    /** evict_cold_data without idle_seconds: a day, the hot tier of the migration guide's {@code ruvector_set_tiers}. */
    static final long DEFAULT_IDLE_SECONDS = Duration.ofHours(24).toSeconds();
    private static final long DRAIN_POLL_MILLIS = 5;

    private record Pause(String collection, long untilMillis) {
    }

    private final String executorId;
    private final MaintenanceControl control;
    private final MaintenanceJobs jobs;
    private final Supplier<? extends Collection<VectorIndexStore>> stores;
    private final CentroidRebuilder centroids;
    private final Clock clock;
    private final Map<String, Pause> pauses = new ConcurrentHashMap<>();
    private final Map<String, List<CentroidStats>> previousCentroids = new ConcurrentHashMap<>();
    /** evict_cold_data commands applied here, by id: their collection, for the rollback's promotion. */
    private final Map<String, String> evictions = new ConcurrentHashMap<>();

    /**
     * @param instanceId this instance ({@code application.server}); the executor id is {@code index@<instanceId>}
     * @param control    pauses and gates of the index's maintenance
     * @param jobs       the running maintenance jobs (drained on pause)
     * @param stores     the stores of this instance's active partitions, asked anew per command
     * @param centroids  where centroids are recomputed and re-installed
     * @param clock      expiry and retention are measured against it
     */
    public IndexCommandExecutor(String instanceId, MaintenanceControl control, MaintenanceJobs jobs,
                                Supplier<? extends Collection<VectorIndexStore>> stores, CentroidRebuilder centroids,
                                Clock clock) {
        Objects.requireNonNull(instanceId, "instanceId");
        this.executorId = "index@" + instanceId;
        this.control = Objects.requireNonNull(control, "control");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.stores = Objects.requireNonNull(stores, "stores");
        this.centroids = Objects.requireNonNull(centroids, "centroids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The executor of {@code index}, recomputing centroids through {@code telemetry}. */
    public static IndexCommandExecutor of(IndexService index, IndexTelemetry telemetry, String instanceId, Clock clock) {
        return new IndexCommandExecutor(instanceId, index.maintenanceControl(), index.maintenanceJobs(),
                index::localStores, CentroidRebuilder.of(telemetry), clock);
    }

    @Override
    public String executorId() {
        return executorId;
    }

    @Override
    public Set<String> strategies() {
        return Set.of(Strategies.PAUSE_MAINTENANCE, Strategies.COMPACT_INDEXES, Strategies.REBUILD_CENTROIDS,
                Strategies.EVICT_COLD_DATA);
    }

    @Override
    public CommandAck execute(RemediationCommand command) {
        return GuardedCommand.run(command, clock, LOG, (status, detail, details) -> ack(command, status, detail, details),
                details -> apply(command, details));
    }

    private CommandAck apply(RemediationCommand command, Map<String, String> details) throws InterruptedException {
        boolean rollback = command.getAction() == CommandAction.ROLLBACK;
        CommandParams params = new CommandParams(command.getParams());
        return switch (command.getStrategy()) {
            case Strategies.PAUSE_MAINTENANCE -> rollback ? resume(command, details) : pause(command, params, details);
            case Strategies.COMPACT_INDEXES -> rollback
                    ? ack(command, AckStatus.FAILED, "compact_indexes is not reversible", details)
                    : compact(command, params, details);
            case Strategies.REBUILD_CENTROIDS -> rollback ? restoreCentroids(command, details)
                    : rebuildCentroids(command, details);
            case Strategies.EVICT_COLD_DATA -> rollback ? promote(command, details) : evict(command, params, details);
            default -> ack(command, AckStatus.FAILED, "strategy " + command.getStrategy()
                    + " is not applied by " + executorId, details);
        };
    }

    /** Re-pauses the collection of an acked, unexpired {@code pause_maintenance} APPLY after a restart. */
    @Override
    public void restore(RemediationCommand command) {
        if (Strategies.PAUSE_MAINTENANCE.equals(command.getStrategy()) && command.getAction() == CommandAction.APPLY
                && !command.getDryRun() && command.getExpiresAtMillis() > clock.millis()) {
            // No hosting check: after a restart the partitions may not be assigned yet.
            pauses.put(command.getCommandId(), new Pause(command.getCollection(), command.getExpiresAtMillis()));
            control.pause(command.getCollection(), maxPauseUntil(command.getCollection()));
        }
    }

    private CommandAck pause(RemediationCommand command, CommandParams params, Map<String, String> details)
            throws InterruptedException {
        String collection = command.getCollection();
        Optional<CommandAck> notHosted = requireHosted(command, details);
        if (notHosted.isPresent()) {
            return notHosted.get();
        }
        long drainMillis = params.positiveLong(PARAM_DRAIN_MILLIS, DEFAULT_DRAIN_MILLIS);
        long until = command.getExpiresAtMillis();
        details.put("paused_until_millis", Long.toString(until));
        if (command.getDryRun()) {
            details.put("running_jobs", Integer.toString(jobs.running(collection).size()));
            return ack(command, AckStatus.APPLIED, "would pause maintenance of " + collection + " until " + until
                    + " and wait up to " + drainMillis + " ms for its running jobs to reach a checkpoint", details);
        }
        pauses.put(command.getCommandId(), new Pause(collection, until));
        control.pause(collection, maxPauseUntil(collection));
        long deadline = System.nanoTime() + drainMillis * 1_000_000;
        List<RunningJob> running = jobs.running(collection);
        while (running.stream().anyMatch(job -> job.state() == JobState.RUNNING) && System.nanoTime() < deadline) {
            Thread.sleep(DRAIN_POLL_MILLIS); // jobs pause at their next checkpoint, on their own threads
            running = jobs.running(collection);
        }
        long paused = running.stream().filter(job -> job.state() == JobState.PAUSED).count();
        details.put("paused_jobs", Long.toString(paused));
        details.put("running_jobs", Long.toString(running.size() - paused));
        details.put("drained", Boolean.toString(paused == running.size()));
        return ack(command, AckStatus.APPLIED, "paused maintenance of " + collection + " until " + until + "; "
                + paused + " of " + running.size() + " running jobs reached a checkpoint", details);
    }

    private CommandAck resume(RemediationCommand command, Map<String, String> details) {
        Pause pause = pauses.get(command.getRollbackOf());
        if (pause == null) {
            return ack(command, AckStatus.FAILED, "no pause_maintenance command " + command.getRollbackOf()
                    + " was applied here", details);
        }
        if (command.getDryRun()) {
            return ack(command, AckStatus.ROLLED_BACK, "would resume maintenance of " + pause.collection(), details);
        }
        pauses.remove(command.getRollbackOf());
        long stillPausedUntil = maxPauseUntil(pause.collection()); // another pause of the collection keeps it paused
        if (stillPausedUntil > clock.millis()) {
            control.pause(pause.collection(), stillPausedUntil);
        } else {
            control.resume(pause.collection());
        }
        details.put("paused_until_millis", Long.toString(control.pausedUntil(pause.collection())));
        return ack(command, AckStatus.ROLLED_BACK, "resumed maintenance of " + pause.collection(), details);
    }

    private CommandAck compact(RemediationCommand command, CommandParams params, Map<String, String> details) {
        String collection = command.getCollection();
        Optional<CommandAck> notHosted = requireHosted(command, details);
        if (notHosted.isPresent()) {
            return notHosted.get();
        }
        long sliceMillis = params.positiveLong(Strategies.PARAM_SLICE_MILLIS, DEFAULT_SLICE_MILLIS);
        long retention = params.positiveLong(Strategies.PARAM_TOMBSTONE_RETENTION_MILLIS,
                DEFAULT_TOMBSTONE_RETENTION_MILLIS);
        boolean force = params.flag(PARAM_FORCE);
        Collection<VectorIndexStore> local = localStores(collection);
        details.put("partitions", Integer.toString(local.size()));
        details.put("deleted_fraction_before", fraction(deletedFraction(local, collection)));
        details.put("tombstones_before", Long.toString(tombstones(local, collection)));
        details.put(Strategies.PARAM_TOMBSTONE_RETENTION_MILLIS, Long.toString(retention));
        Optional<GateBlock> gate = command.getDryRun() || force ? control.highRiskBlock(collection)
                : control.checkHighRisk(collection);
        if (gate.isPresent() && !force) {
            details.put("gate", gate.get().action().name());
            return ack(command, AckStatus.FAILED, gate.get().reason(), details);
        }
        if (command.getDryRun()) {
            return ack(command, AckStatus.APPLIED, "would remove the deleted graph nodes of " + collection + " on "
                    + local.size() + " partitions and purge its tombstones older than " + retention
                    + " ms behind the watermark, in slices of " + sliceMillis + " ms", details);
        }
        // Tombstones guard against a replayed older change resurrecting a deleted row. Replays come
        // only from a capture restart (at-least-once redelivery of the last minutes), so a delete
        // committed longer ago than the retention window and already behind the watermark has no
        // older change left in flight: forgetting it is safe.
        long purgeBefore = clock.millis() - retention;
        int removed = 0;
        int purged = 0;
        int slices = 0;
        long longest = 0;
        for (VectorIndexStore store : local) {
            PartitionCompaction done = store.compact(collection, purgeBefore, Duration.ofMillis(sliceMillis));
            removed += done.removedNodes();
            purged += done.purgedTombstones();
            slices += done.slices();
            longest = Math.max(longest, done.longestSliceMillis());
        }
        details.put("purged_nodes", Integer.toString(removed));
        details.put("purged_tombstones", Integer.toString(purged));
        details.put("tombstones_after", Long.toString(tombstones(local, collection)));
        details.put("deleted_fraction_after", fraction(deletedFraction(local, collection)));
        details.put("slices", Integer.toString(slices));
        details.put("longest_slice_millis", Long.toString(longest));
        String forced = gate.isPresent() ? " (forced past: " + gate.get().reason() + ")" : "";
        return ack(command, AckStatus.APPLIED, "compacted " + collection + " on " + local.size() + " partitions: "
                + removed + " deleted graph nodes removed, " + purged + " tombstones purged" + forced, details);
    }

    /**
     * Moves the collection's rows idle for {@code idle_seconds} to the cold tier on every local
     * partition (one write-lock hold per partition). Tier demotion is high-risk maintenance: it
     * obeys the integrity gate like compaction.
     */
    private CommandAck evict(RemediationCommand command, CommandParams params, Map<String, String> details) {
        String collection = command.getCollection();
        Optional<CommandAck> notHosted = requireHosted(command, details);
        if (notHosted.isPresent()) {
            return notHosted.get();
        }
        long idleSeconds = params.positiveLong(Strategies.PARAM_IDLE_SECONDS, DEFAULT_IDLE_SECONDS);
        long idleSince = clock.millis() - idleSeconds * 1000;
        boolean force = params.flag(PARAM_FORCE);
        Collection<VectorIndexStore> local = localStores(collection);
        details.put("partitions", Integer.toString(local.size()));
        details.put(Strategies.PARAM_IDLE_SECONDS, Long.toString(idleSeconds));
        details.put("vector_bytes_before", Long.toString(vectorBytes(local, collection)));
        Optional<GateBlock> gate = command.getDryRun() || force ? control.highRiskBlock(collection)
                : control.checkHighRisk(collection);
        if (gate.isPresent() && !force) {
            details.put("gate", gate.get().action().name());
            return ack(command, AckStatus.FAILED, gate.get().reason(), details);
        }
        if (command.getDryRun()) {
            long idle = 0;
            long saved = 0;
            for (VectorIndexStore store : local) {
                ColdEviction plan = store.planEviction(collection, idleSince);
                idle += plan.rows();
                saved += plan.bytesSaved();
            }
            details.put("rows", Long.toString(idle));
            details.put("bytes_saved", Long.toString(saved));
            return ack(command, AckStatus.APPLIED, "would move " + idle + " rows of " + collection + " idle for "
                    + idleSeconds + " s to the cold tier on " + local.size() + " partitions, saving about "
                    + mb(saved) + " MB of vectors", details);
        }
        long rows = 0;
        long retired = 0;
        long saved = 0;
        long cold = 0;
        long longest = 0;
        for (VectorIndexStore store : local) {
            long start = System.nanoTime();
            ColdEviction done = store.evictIdle(collection, idleSince);
            longest = Math.max(longest, (System.nanoTime() - start) / 1_000_000);
            rows += done.rows();
            retired += done.retiredNodes();
            saved += done.bytesSaved();
            cold += done.coldRows();
        }
        details.put("rows", Long.toString(rows));
        if (rows == 0 && retired == 0) {
            // an APPLIED ack would read as an eviction that did not help; nothing was there to move
            details.put("cold_rows", Long.toString(cold));
            return ack(command, AckStatus.FAILED, "no row of " + collection + " has been idle for " + idleSeconds
                    + " s: nothing moved to the cold tier (" + cold + " rows cold already)", details);
        }
        evictions.put(command.getCommandId(), collection);
        details.put("retired_nodes", Long.toString(retired));
        details.put("cold_rows", Long.toString(cold));
        details.put("bytes_saved", Long.toString(saved));
        details.put("vector_bytes_after", Long.toString(vectorBytes(local, collection)));
        details.put("longest_hold_millis", Long.toString(longest));
        String forced = gate.isPresent() ? " (forced past: " + gate.get().reason() + ")" : "";
        return ack(command, AckStatus.APPLIED, "moved " + rows + " rows of " + collection + " idle for " + idleSeconds
                + " s to the cold tier on " + local.size() + " partitions (" + cold + " cold now), " + mb(saved)
                + " MB of vectors freed" + forced, details);
    }

    /** Undoes an eviction: every cold row of the collection on the local partitions back to full precision. */
    private CommandAck promote(RemediationCommand command, Map<String, String> details) {
        String collection = evictions.get(command.getRollbackOf());
        if (collection == null) {
            return ack(command, AckStatus.FAILED, "no evict_cold_data command " + command.getRollbackOf()
                    + " was applied here", details);
        }
        Collection<VectorIndexStore> local = localStores(collection);
        long cold = 0;
        for (VectorIndexStore store : local) {
            cold += store.stats(collection).coldRows();
        }
        details.put("cold_rows", Long.toString(cold));
        if (command.getDryRun()) {
            return ack(command, AckStatus.ROLLED_BACK, "would promote the " + cold + " cold rows of " + collection
                    + " back to full precision", details);
        }
        long promoted = 0;
        for (VectorIndexStore store : local) {
            promoted += store.promoteAll(collection);
        }
        evictions.remove(command.getRollbackOf());
        details.put("promoted_rows", Long.toString(promoted));
        details.put("vector_bytes_after", Long.toString(vectorBytes(local, collection)));
        return ack(command, AckStatus.ROLLED_BACK, "promoted " + promoted + " cold rows of " + collection
                + " back to full precision", details);
    }

    private static long vectorBytes(Collection<VectorIndexStore> stores, String collection) {
        long bytes = 0;
        for (VectorIndexStore store : stores) {
            bytes += store.stats(collection).vectorBytes();
        }
        return bytes;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    private CommandAck rebuildCentroids(RemediationCommand command, Map<String, String> details) {
        String collection = command.getCollection();
        Optional<CommandAck> notHosted = requireHosted(command, details);
        if (notHosted.isPresent()) {
            return notHosted.get();
        }
        List<CentroidStats> before = centroids.current(collection);
        details.put("centroids_before", Integer.toString(before.size()));
        if (command.getDryRun()) {
            return ack(command, AckStatus.APPLIED, "would recompute the k-means centroids of " + collection
                    + " now and keep the current " + before.size() + " for rollback", details);
        }
        List<CentroidStats> after = centroids.rebuild(collection);
        previousCentroids.put(command.getCommandId(), List.copyOf(before));
        details.put("centroids_after", Integer.toString(after.size()));
        return ack(command, AckStatus.APPLIED, "recomputed the centroids of " + collection + ": " + before.size()
                + " -> " + after.size(), details);
    }

    private CommandAck restoreCentroids(RemediationCommand command, Map<String, String> details) {
        List<CentroidStats> previous = previousCentroids.get(command.getRollbackOf());
        if (previous == null) {
            return ack(command, AckStatus.FAILED, "no rebuild_centroids command " + command.getRollbackOf()
                    + " was applied here", details);
        }
        details.put("centroids_before", Integer.toString(centroids.current(command.getCollection()).size()));
        details.put("centroids_after", Integer.toString(previous.size()));
        if (command.getDryRun()) {
            return ack(command, AckStatus.ROLLED_BACK, "would re-install the previous " + previous.size()
                    + " centroids of " + command.getCollection(), details);
        }
        previousCentroids.remove(command.getRollbackOf());
        centroids.install(command.getCollection(), previous);
        return ack(command, AckStatus.ROLLED_BACK, "re-installed the previous " + previous.size() + " centroids of "
                + command.getCollection(), details);
    }

    private Optional<CommandAck> requireHosted(RemediationCommand command, Map<String, String> details) {
        if (localStores(command.getCollection()).isEmpty()) {
            return Optional.of(ack(command, AckStatus.FAILED, "collection " + command.getCollection()
                    + " is not hosted here", details));
        }
        return Optional.empty();
    }

    /** The local active stores that hold {@code collection}. */
    private List<VectorIndexStore> localStores(String collection) {
        return stores.get().stream().filter(store -> store.collections().contains(collection)).toList();
    }

    /** The latest end among this executor's pauses of {@code collection}, 0 when none. */
    private long maxPauseUntil(String collection) {
        long until = 0;
        for (Pause pause : pauses.values()) {
            if (pause.collection().equals(collection)) {
                until = Math.max(until, pause.untilMillis());
            }
        }
        return until;
    }

    private static double deletedFraction(Collection<VectorIndexStore> stores, String collection) {
        long deleted = 0;
        long nodes = 0;
        for (VectorIndexStore store : stores) {
            CollectionStats stats = store.stats(collection);
            if (stats.graphPresent()) {
                deleted += stats.deletedGraphNodes();
                nodes += stats.liveRows() + stats.deletedGraphNodes();
            }
        }
        return nodes == 0 ? 0.0 : (double) deleted / nodes;
    }

    private static long tombstones(Collection<VectorIndexStore> stores, String collection) {
        long count = 0;
        for (VectorIndexStore store : stores) {
            count += store.stats(collection).tombstones();
        }
        return count;
    }

    private static String fraction(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private CommandAck ack(RemediationCommand command, AckStatus status, String detail, Map<String, String> details) {
        if (status == AckStatus.FAILED) {
            LOG.info("Command {} ({} on {}) failed: {}", command.getCommandId(), command.getStrategy(),
                    command.getCollection(), detail);
        }
        return CommandAcks.of(command, executorId, status, detail, details, clock.millis());
    }
}
