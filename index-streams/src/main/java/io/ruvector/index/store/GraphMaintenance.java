package io.ruvector.index.store;

import io.ruvector.index.graph.GraphParamsLookup;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background job that removes deleted nodes from the graphs, moves rows between tiers
 * (for collections with a tier policy) and trims arrays left larger than their rows by a bulk
 * load, off the apply path: every
 * {@code interval} it asks each open {@link VectorIndexStore} to {@link VectorIndexStore#cleanupGraphs()
 * clean up} (each store decides, per collection, whether its deleted nodes reached the cleanup
 * fraction, and takes its own write lock for the removal).
 *
 * <p>One per index application (one daemon thread for all its partitions), owned by whoever
 * builds the topology, never static. {@link #manual()} schedules nothing: tests and embedders
 * call {@link #runOnce()} themselves. A collection that {@code allowed} refuses (its maintenance
 * paused, or its integrity gate deferring high-risk work: {@code MaintenanceControl#mayRunPeriodic})
 * is skipped until a later pass. Thread-safe; {@link #close()} is idempotent.
 */
public final class GraphMaintenance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GraphMaintenance.class);

    private final Set<VectorIndexStore> stores = ConcurrentHashMap.newKeySet();
    /** Stores with a warm-up queued or running: a second request would only hold a warm-up thread on its lock. */
    private final Set<VectorIndexStore> warming = ConcurrentHashMap.newKeySet();
    /**
     * The collections' graph params as the first task's processor gave them (they read the
     * application's global specs store, the same for every task): a store that opens later, or is
     * warmed before its own processor starts, builds with them instead of the defaults.
     */
    private volatile GraphParamsLookup params = GraphParamsLookup.NONE;
    private final ScheduledExecutorService executor;
    /** Builds partitions' in-memory indexes, one thread per core: after a restart they are built side by side. */
    private final java.util.concurrent.ExecutorService warmers;
    private volatile Predicate<String> allowed;

    private GraphMaintenance(ScheduledExecutorService executor, java.util.concurrent.ExecutorService warmers,
                             Predicate<String> allowed) {
        this.executor = executor;
        this.warmers = warmers;
        this.allowed = Objects.requireNonNull(allowed, "allowed");
    }

    /** Runs {@link #runOnce()} every {@code interval} on its own daemon thread until {@link #close()}. */
    public static GraphMaintenance scheduled(Duration interval) {
        return scheduled(interval, collection -> true);
    }

    /** As {@link #scheduled(Duration)}, cleaning only the collections {@code allowed} accepts at the time. */
    public static GraphMaintenance scheduled(Duration interval, Predicate<String> allowed) {
        Objects.requireNonNull(interval, "interval");
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ruvector-graph-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        java.util.concurrent.atomic.AtomicInteger warmerIds = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService warmers = Executors.newFixedThreadPool(
                Math.max(1, Runtime.getRuntime().availableProcessors()), task -> {
                    Thread thread = new Thread(task, "ruvector-index-warmup-" + warmerIds.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        GraphMaintenance maintenance = new GraphMaintenance(executor, warmers, allowed);
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(maintenance::runQuietly, millis, millis, TimeUnit.MILLISECONDS);
        return maintenance;
    }

    /** Schedules nothing: cleanup happens when {@link #runOnce()} is called. */
    public static GraphMaintenance manual() {
        return new GraphMaintenance(null, null, collection -> true);
    }

    /** Replaces the filter of collections that passes may clean (e.g. with a {@code MaintenanceControl}). */
    public void allow(Predicate<String> filter) {
        this.allowed = Objects.requireNonNull(filter, "filter");
    }

    /** The open stores (active and standby) of this application, as registered now. */
    public List<VectorIndexStore> stores() {
        return List.copyOf(stores);
    }

    void register(VectorIndexStore store) {
        stores.add(store);
    }

    void deregister(VectorIndexStore store) {
        stores.remove(store);
    }

    /**
     * {@link VectorIndexStore#warm()} on the open stores of {@code partition} that are not warm yet,
     * on a warm-up thread (the caller, a restoring or stream thread, goes on; several partitions
     * warm in parallel), or at once when this instance schedules nothing ({@link #manual()}).
     */
    public void warm(int partition) {
        for (VectorIndexStore store : stores) {
            if (store.partition() == partition && !store.warmed() && warming.add(store)) {
                Runnable warm = () -> {
                    try {
                        store.warm();
                    } catch (RuntimeException e) { // the stream thread's own build then fails the task with it
                        LOG.debug("warm-up of partition {} failed: {}", partition, e.toString());
                    } finally {
                        warming.remove(store);
                    }
                };
                if (warmers == null) {
                    warm.run();
                } else {
                    try {
                        warmers.execute(warm);
                    } catch (java.util.concurrent.RejectedExecutionException e) { // closing: nothing to warm for
                        warming.remove(store);
                        LOG.debug("warm-up of partition {} not scheduled: {}", partition, e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * {@link #warm(int)} once a task's processor has given the collections' graph params to some
     * store of this application; before that a build would use the defaults and be redone when
     * its processor starts, so it is left to the processor. For a partition whose restore has just
     * ended: its build need not wait for the stream thread to start its task.
     */
    public void warmIfParamsKnown(int partition) {
        if (params != GraphParamsLookup.NONE) {
            warm(partition);
        }
    }

    /** Called by a store given its processor's params: later stores start from them. */
    void shareParams(GraphParamsLookup lookup) {
        params = Objects.requireNonNull(lookup, "lookup");
    }

    /** The params the first processor gave, or {@code NONE} before any did. */
    GraphParamsLookup sharedParams() {
        return params;
    }

    /**
     * How long a collection must go without puts before its arrays are trimmed to its rows: past
     * a bulk load, not between the batches of a steady stream (each trim and regrowth copies the
     * matrix under the partition's write lock).
     */
    public static final Duration SLACK_QUIET = Duration.ofSeconds(10);

    /** One pass over the open stores: graph cleanup, tiers, then array slack; returns the deleted graph nodes removed. */
    public int runOnce() {
        int removed = 0;
        for (VectorIndexStore store : stores) {
            removed += store.cleanupGraphs(allowed);
            store.applyTiers(allowed);
            store.releaseSlack(SLACK_QUIET, allowed);
        }
        return removed;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
            warmers.shutdownNow();
        }
        stores.clear();
    }

    private void runQuietly() {
        try {
            int removed = runOnce();
            if (removed > 0) {
                LOG.debug("Removed {} deleted graph nodes", removed);
            }
        } catch (RuntimeException e) { // a failing pass must not cancel the schedule
            LOG.warn("Graph maintenance pass failed; retrying next interval", e);
        }
    }
}
