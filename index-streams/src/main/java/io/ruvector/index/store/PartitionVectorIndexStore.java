package io.ruvector.index.store;

import io.ruvector.index.handoff.BucketRoutes;
import io.ruvector.index.query.BucketDigestsQuery;
import io.ruvector.index.query.BucketRowsQuery;
import io.ruvector.index.query.RowVersionsQuery;
import java.util.function.IntPredicate;

import io.ruvector.index.graph.GraphParamsLookup;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.query.CollectionsQuery;
import io.ruvector.index.query.GetVectorQuery;
import io.ruvector.index.query.KnnQuery;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.query.SampleQuery;
import io.ruvector.index.query.StatsQuery;
import io.ruvector.index.query.VectorIndexQuery;
import io.ruvector.index.query.VectorRecord;
import io.ruvector.index.query.WatermarkQuery;
import io.ruvector.index.telemetry.JobKind;
import io.ruvector.index.telemetry.MaintenanceJobs;
import io.ruvector.index.telemetry.PartitionActivity;
import io.ruvector.index.telemetry.PartitionCounters;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.topic.TopicNames;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.StoreQueryUtils;

/**
 * The vector index layer over a changelogged key-value store (built by
 * {@link VectorIndexStoreBuilder}). The inner store is the durable truth: every applied change
 * is written to it (row or tombstone under {@code collection/id}, the watermark under
 * {@value #WATERMARK_KEY}, a key no row can have since collection names never contain '/').
 * The {@link PartitionIndex} above it is derived state, rebuilt lazily on first use after
 * {@link #init}: restoration replays the changelog into the inner store directly, bypassing
 * this layer, and Kafka Streams starts processing and IQv2 only after it completes.
 *
 * <p>Concurrency: the stream thread writes under the write lock (the watermark, which changes no
 * row, under the read lock), IQv2 readers share the read lock; the position a query stamps is
 * read under the same lock as its answer, so it never claims data the answer does not contain.
 * Applied rows are linked into the graphs a slice at a time, each under its own hold of the write
 * lock ({@link #linkInSlices()}). Graph cleanup ({@link #cleanupGraphs}) comes from
 * {@link GraphMaintenance}'s thread and takes the write lock too: jvector's node removal must
 * overlap neither inserts nor searches. The lazy rebuild builds the graphs as well (in parallel),
 * so the first access after a restore pays for them.
 *
 * <p>Telemetry: each kNN query's time and outcome go to the partition's counters in
 * {@link PartitionActivity}; rebuilds and graph cleanups report to {@link MaintenanceJobs} while
 * they hold the write lock.
 */
final class PartitionVectorIndexStore implements VectorIndexStore {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PartitionVectorIndexStore.class);

    /** Reserved key of the partition's watermark in the inner store. */
    static final String WATERMARK_KEY = "#watermark";
    /** Rows linked under one hold of the write lock ({@link #linkInSlices()}). */
    static final int LINK_SLICE = 32;
    /** Pending rows of a collection at which an apply links them (in slices), half of a put's batch. */
    static final int LINK_AT = CollectionIndex.LINK_BATCH / 2;

    private final KeyValueStore<String, byte[]> inner;
    private final HnswSettings settings;
    private final GraphMaintenance maintenance;
    private final PartitionActivity activity;
    private final MaintenanceJobs jobs;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Written by the stream thread only; read by tests. */
    private volatile int mostLinkedUnderOneHold;
    private volatile PartitionIndex index;
    private volatile GraphParamsLookup params = GraphParamsLookup.NONE;
    private volatile TieringLookup tiering = TieringLookup.NONE;
    private volatile boolean closed;
    private int partition;
    private PartitionCounters counters;
    private GraphSnapshotFiles snapshots; // null where the context has no state directory (tests)
    private boolean changedSinceSnapshot;
    /** Rows changed since the last snapshot, and when the last one changed (guarded by {@link #lock}). */
    private long changesSinceSnapshot;
    private long lastChangeNanos;
    /** Set by {@link #snapshotSyncer} when forcing a snapshot to disk failed: the next one is due even without changes. */
    private volatile boolean snapshotLost;
    /** The last snapshot's way to disk off the stream thread; null before the first. */
    private java.util.concurrent.CompletableFuture<Void> snapshotSync;
    private java.util.concurrent.ExecutorService syncer;
    private long lastSnapshotNanos = System.nanoTime();
    private volatile int graphNodesLoaded;

    PartitionVectorIndexStore(KeyValueStore<String, byte[]> inner, HnswSettings settings, GraphMaintenance maintenance) {
        this(inner, new RestoreObservingStore.Tap(), settings, maintenance, new PartitionActivity(), new MaintenanceJobs());
    }

    /** @param restores the tap of {@code inner}'s bottom layer: restored batches arrive through it */
    PartitionVectorIndexStore(KeyValueStore<String, byte[]> inner, RestoreObservingStore.Tap restores, HnswSettings settings,
                              GraphMaintenance maintenance, PartitionActivity activity, MaintenanceJobs jobs) {
        this.inner = Objects.requireNonNull(inner, "inner");
        restores.observe(this::restored);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        this.activity = Objects.requireNonNull(activity, "activity");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root); // registers root, so the changelog restores into inner
        partition = context.taskId().partition();
        counters = activity.partition(partition);
        snapshots = snapshotFiles(context);
        // odd partitions' snapshots come half an interval later: commits (every 30 s by default)
        // then write half of an instance's partitions each, not all of them in one stall of the stream thread
        lastSnapshotNanos = System.nanoTime() + (partition % 2) * (settings.graphSnapshotInterval().toNanos() / 2);
        index = null;
        closed = false;
        params = maintenance.sharedParams(); // its processor's own follow when the task starts (the same specs)
        maintenance.register(this);
    }

    @Override
    public ApplyRules.Decision apply(VectorChange change) {
        int[] waiting = new int[1];
        ApplyRules.Decision applied = write(() -> {
            ApplyRules.Decision decision = index().apply(change);
            if (decision instanceof ApplyRules.Apply(StoredRow row)) {
                inner.put(TopicNames.vectorKey(row.collection(), row.id()), StoredRowCodec.encode(row));
                changed(1);
            }
            waiting[0] = index().pending(change.getCollection());
            return decision;
        });
        if (waiting[0] >= LINK_AT) {
            linkInSlices(); // before a put fills a whole batch, which it would link under one hold
        }
        return applied;
    }

    /**
     * Links the pending rows {@link #LINK_SLICE} at a time, each slice under its own hold of the
     * write lock, letting the threads that queued meanwhile in between: a batch of 256 rows of 784
     * dimensions held the lock for 100–400 ms, and every search and point read of the partition
     * waited that long. Stream thread only (the one writer of rows).
     */
    private void linkInSlices() {
        int linked;
        do {
            linked = ifOpen(lock.writeLock(), i -> {
                int rows = i.linkPendingSlice(LINK_SLICE);
                mostLinkedUnderOneHold = Math.max(mostLinkedUnderOneHold, rows);
                return rows;
            }, 0);
            if (linked > 0) {
                letQueuedThreadsIn();
            }
        } while (linked > 0);
    }

    /**
     * Waits (1 ms at most) while threads queue for the lock: the lock is not fair, so without this
     * the stream thread would take it back for its next slice before a woken reader ran.
     */
    private void letQueuedThreadsIn() {
        long deadline = System.nanoTime() + 1_000_000L;
        while (lock.hasQueuedThreads() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000L);
        }
    }

    /** The most rows linked under one hold of the write lock since this store opened (tests). */
    int mostLinkedUnderOneHold() {
        return mostLinkedUnderOneHold;
    }

    @Override
    public void advanceWatermark(long lsn) {
        // Under the read lock: a watermark changes no row or graph (it is volatile, and every row it
        // covers was applied before, under the write lock). Taken as a writer, it queued behind a
        // long reader (an exact scan) every second, and every search arriving meanwhile queued behind it.
        read(() -> {
            if (index().advanceWatermark(lsn)) {
                inner.put(WATERMARK_KEY, ByteBuffer.allocate(Long.BYTES).putLong(lsn).array());
            }
            return null;
        });
    }

    @Override
    public long watermark() {
        return read(() -> index().watermark());
    }

    @Override
    public Optional<IndexedVector> get(String collection, String id) {
        return read(() -> Optional.ofNullable(index().get(collection, id)));
    }

    @Override
    public Map<String, io.ruvector.index.query.RowVersion> versions(String collection, java.util.Set<String> ids,
                                                                   boolean withRows) {
        return read(() -> index().versions(collection, ids, withRows));
    }

    @Override
    public BucketRoutes routes(String collection) {
        return read(() -> index().routes(collection));
    }

    @Override
    public void saveRoutes(BucketRoutes routes) {
        write(() -> {
            index().putRoutes(routes);
            inner.put(BucketRoutes.storeKey(routes.collection()), routes.encode());
            return null;
        });
    }

    @Override
    public List<String> idsIn(String collection, IntPredicate buckets) {
        return read(() -> index().idsIn(collection, buckets));
    }

    @Override
    public StoredRow current(String collection, String id) {
        return read(() -> index().current(collection, id));
    }

    @Override
    public int forget(String collection, IntPredicate buckets) {
        return write(() -> {
            List<String> keys = index().forget(collection, buckets);
            keys.forEach(inner::delete);
            if (!keys.isEmpty()) {
                changed(keys.size());
                // rows that moved away are not a user's deletes: unlink their graph nodes once the last
                // new owner has acked (one cleanup, often a rebuild of what stays, instead of one per
                // owner), rather than leave a fragmented graph that looks like a problem of its own
                if (!index().holdsForeignRows(collection)) {
                    index().removeDeletedNodes(collection);
                }
            }
            return keys.size();
        });
    }

    @Override
    public ColdEviction evictIdle(String collection, long idleSinceMillis) {
        Objects.requireNonNull(collection, "collection");
        try (MaintenanceJobs.Job job = jobs.start(JobKind.TIERING, collection, partition, null)) {
            return write(() -> index().evictIdle(collection, idleSinceMillis));
        }
    }

    @Override
    public ColdEviction planEviction(String collection, long idleSinceMillis) {
        return read(() -> index().planEviction(collection, idleSinceMillis));
    }

    @Override
    public int promoteAll(String collection) {
        Objects.requireNonNull(collection, "collection");
        try (MaintenanceJobs.Job job = jobs.start(JobKind.TIERING, collection, partition, null)) {
            return write(() -> index().promoteAll(collection));
        }
    }

    @Override
    public void useTiering(TieringLookup lookup) {
        tiering = Objects.requireNonNull(lookup, "lookup");
    }

    @Override
    public void applyTiers(Predicate<String> allowed) {
        Objects.requireNonNull(allowed, "allowed");
        TieringLookup policies = tiering;
        for (String collection : ifOpen(lock.readLock(), PartitionIndex::collections, java.util.Set.<String>of())) {
            Tiering policy = policies.find(collection).orElse(null);
            // checked under the read lock first: the stream thread is not stalled every pass for nothing
            if (policy == null || !ifOpen(lock.readLock(), i -> i.tierWork(collection, policy), false)
                    || !allowed.test(collection)) {
                continue;
            }
            try (MaintenanceJobs.Job job = jobs.start(JobKind.TIERING, collection, partition, null)) {
                TierMoves done = ifOpen(lock.writeLock(), i -> {
                    TierMoves moved = i.applyTiers(collection, policy);
                    changedSinceSnapshot |= !moved.isEmpty();
                    return moved;
                }, TierMoves.NONE);
                if (!done.isEmpty()) {
                    LOG.debug("Tier pass of {} in partition {}: {} rows to codes, {} back to float32", collection, partition,
                            done.demoted(), done.promoted());
                }
            }
        }
    }

    /** {@code action} on the in-memory index holding {@code held}, or {@code otherwise} while none is built or after close. */
    private <T> T ifOpen(java.util.concurrent.locks.Lock held, java.util.function.Function<PartitionIndex, T> action,
                         T otherwise) {
        held.lock();
        try {
            return closed || index == null ? otherwise : action.apply(index);
        } finally {
            held.unlock();
        }
    }

    @Override
    public java.util.Set<String> collections() {
        return read(() -> index().collections());
    }

    @Override
    public int count(String collection) {
        return read(() -> index().count(collection));
    }

    @Override
    public KnnResult search(KnnRequest request) {
        return read(() -> index().search(request));
    }

    @Override
    public CollectionStats stats(String collection) {
        return read(() -> index().stats(collection));
    }

    @Override
    public long dropped(ApplyRules.DropReason reason) {
        return read(() -> index().dropped(reason));
    }

    @Override
    public void useParams(GraphParamsLookup lookup) {
        params = Objects.requireNonNull(lookup, "lookup");
        maintenance.shareParams(lookup);
        refreshParams();
    }

    @Override
    public void refreshParams() {
        lock.writeLock().lock();
        try {
            if (index != null && index.paramsChanged()) { // a later rebuild reads the params anyway
                try (MaintenanceJobs.Job job = jobs.start(JobKind.REBUILD, partition)) {
                    index.refreshParams();
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public int partition() {
        return partition;
    }

    @Override
    public void warm() {
        if (index == null && !closed) {
            try {
                write(this::index);
            } catch (IllegalStateException e) { // closed meanwhile: nothing to warm
                LOG.debug("partition {}: not warmed: {}", partition, e.getMessage());
            }
        }
    }

    @Override
    public void warmSoon() {
        if (index == null && !closed) {
            maintenance.warm(partition);
        }
    }

    @Override
    public boolean warmed() {
        return index != null;
    }

    @Override
    public long releaseSlack(java.time.Duration quiet, Predicate<String> allowed) {
        Objects.requireNonNull(allowed, "allowed");
        long quietNanos = quiet.toNanos();
        // checked under the read lock first: the stream thread is not stalled every pass for nothing
        if (!ifOpen(lock.readLock(), i -> i.hasSlack(quietNanos, allowed), false)) {
            return 0;
        }
        long freed = ifOpen(lock.writeLock(), i -> i.releaseSlack(quietNanos, allowed), 0L);
        if (freed > 0) {
            LOG.debug("Released {} MB of unused array room in partition {}", freed / 1_000_000, partition);
        }
        return freed;
    }

    @Override
    public int cleanupGraphs() {
        return cleanupGraphs(collection -> true);
    }

    @Override
    public int cleanupGraphs(Predicate<String> allowed) {
        Objects.requireNonNull(allowed, "allowed");
        // Check under the read lock first so that the stream thread is not stalled every tick for nothing.
        lock.readLock().lock();
        try {
            if (closed || index == null || !index.needsCleanup()) {
                return 0;
            }
        } finally {
            lock.readLock().unlock();
        }
        lock.writeLock().lock();
        try {
            if (closed || index == null) {
                return 0;
            }
            try (MaintenanceJobs.Job job = jobs.start(JobKind.COMPACTION, partition)) {
                return index.cleanupGraphs(allowed);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public PartitionCompaction compact(String collection, long purgeCommittedBeforeMillis, Duration slice) {
        Objects.requireNonNull(collection, "collection");
        long sliceNanos = Math.max(1, slice.toNanos());
        try (MaintenanceJobs.Job job = jobs.start(JobKind.COMPACTION, collection, partition, null)) {
            long[] longest = new long[1];
            int removed = slice(longest, () -> index().removeDeletedNodes(collection));
            List<Tombstone> candidates = read(() -> index().purgeableTombstones(collection, purgeCommittedBeforeMillis));
            int purged = 0;
            int slices = 1;
            int next = 0;
            while (next < candidates.size() && !closed) {
                lock.writeLock().lock();
                long start = System.nanoTime();
                try {
                    if (closed || index == null) {
                        break; // invalidated or closed meanwhile: the rest waits for the next compaction
                    }
                    do {
                        Tombstone dead = candidates.get(next++);
                        if (index.purge(dead)) {
                            inner.delete(TopicNames.vectorKey(dead.collection(), dead.id())); // changelogged delete
                            purged++;
                        }
                    } while (next < candidates.size() && System.nanoTime() - start < sliceNanos);
                } finally {
                    longest[0] = Math.max(longest[0], System.nanoTime() - start);
                    lock.writeLock().unlock();
                }
                slices++;
                Thread.yield(); // let a waiting writer or reader in before the next slice
            }
            int kept = closed ? 0 : read(() -> index().stats(collection).tombstones());
            return new PartitionCompaction(partition, removed, purged, kept, slices, longest[0] / 1_000_000);
        }
    }

    /** Runs {@code action} under the write lock, recording the hold time in {@code longest[0]} (ns). */
    private <T> T slice(long[] longest, Supplier<T> action) {
        if (index == null) {
            write(this::index); // a lazy rebuild is its own job, not a compaction slice
        }
        lock.writeLock().lock();
        long start = System.nanoTime();
        try {
            return action.get();
        } finally {
            longest[0] = Math.max(longest[0], System.nanoTime() - start);
            lock.writeLock().unlock();
        }
    }

    /** IQv2: answers {@link VectorIndexQuery}s, checking the bound first and stamping the position. */
    @Override
    @SuppressWarnings("unchecked")
    public <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
        if (!(query instanceof VectorIndexQuery<R> known)) {
            return QueryResult.forUnknownQueryType(query, this);
        }
        long start = System.nanoTime();
        QueryResult<R> result = read(() -> {
            Position position = inner.getPosition().copy();
            if (!StoreQueryUtils.isPermitted(position, bound, partition)) {
                return QueryResult.notUpToBound(position, bound, partition);
            }
            QueryResult<R> answer;
            try {
                answer = QueryResult.forResult((R) switch (known) {
                    case KnnQuery(KnnRequest request) -> index().search(request);
                    case WatermarkQuery w -> (Object) index().watermark();
                    case GetVectorQuery(String collection, String id) -> Optional.ofNullable(index().get(collection, id))
                            .map(row -> new VectorRecord(row.collection(), row.id(), row.tenant(), row.vector(),
                                    row.metadata(), row.lsn()));
                    case StatsQuery(String collection) -> index().stats(collection);
                    case CollectionsQuery c -> index().collections();
                    case SampleQuery(String collection, int max, long seed) -> index().sample(collection, max, seed);
                    case RowVersionsQuery(String collection, java.util.Set<String> ids, boolean withRows) ->
                            index().versions(collection, ids, withRows);
                    case BucketDigestsQuery(String collection) -> index().digests(collection);
                    case BucketRowsQuery(String collection, java.util.Set<Integer> buckets) ->
                            index().rowStates(collection, buckets);
                });
            } catch (IllegalArgumentException e) { // e.g. query dimension differs from the collection's
                answer = QueryResult.forFailure(FailureReason.STORE_EXCEPTION, e.getMessage());
            }
            answer.setPosition(position);
            return answer;
        });
        boolean answered = result.isSuccess() || result.getFailureReason() == FailureReason.STORE_EXCEPTION;
        if (known instanceof KnnQuery(KnnRequest request) && answered) { // a position bound not reached yet is no answer
            if (request.exact()) {
                counters.scanned(result.isFailure());
            } else {
                counters.queried(System.nanoTime() - start, result.isFailure());
            }
        }
        if (config.isCollectExecutionInfo()) {
            result.addExecutionInfo("Handled in " + getClass().getSimpleName() + " partition " + partition
                    + " in " + (System.nanoTime() - start) + "ns");
        }
        return result;
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void flush() {
        beforeCommit();
        inner.flush();
    }

    /**
     * Before each commit (Kafka Streams 4 calls {@link #commit}, older paths {@link #flush}): the
     * rows applied since are linked into their graphs, and the graphs go to disk when the snapshot
     * interval has passed.
     */
    private void beforeCommit() {
        if (index != null) {
            if (ifOpen(lock.readLock(), PartitionIndex::hasPending, false)) { // no writer in the queue for nothing
                linkInSlices();
            }
            long interval = settings.graphSnapshotInterval().toNanos();
            long now = System.nanoTime();
            // a tenth early: a commit a few ms short of the interval would defer the snapshot by a
            // whole commit interval and, over time, bring the staggered partitions back into one round
            if ((now - lastSnapshotNanos >= interval - interval / 10 || snapshotDue())
                    && (snapshotSync == null || snapshotSync.isDone()) // one snapshot on its way to disk at a time
                    && writeSnapshots(false)) {
                lastSnapshotNanos = now; // also when there was nothing to write: the partitions stay staggered
            }
        }
    }

    /** Call with the write lock held: {@code rows} rows changed now. */
    private void changed(long rows) {
        changedSinceSnapshot = true;
        changesSinceSnapshot += rows;
        lastChangeNanos = System.nanoTime();
    }

    /**
     * Whether a burst of changes has settled: at least {@code graphSnapshotBurstRows} rows, and at
     * least a twentieth of the partition's rows, changed since the last snapshot, and none for
     * {@code graphSnapshotQuiet}. The next commit then writes the graphs without waiting for the
     * interval, so that a crash after a bulk load does not link the whole load again.
     */
    @Override
    public boolean snapshotDue() {
        if (snapshots == null) {
            return false;
        }
        lock.readLock().lock();
        try {
            PartitionIndex current = index;
            if (current == null || closed || changesSinceSnapshot < settings.graphSnapshotBurstRows()
                    || System.nanoTime() - lastChangeNanos < settings.graphSnapshotQuiet().toNanos()) {
                return false;
            }
            return changesSinceSnapshot >= rows(current) / 20;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static long rows(PartitionIndex index) {
        long rows = 0;
        for (String collection : index.collections()) {
            rows += index.count(collection);
        }
        return rows;
    }

    /**
     * Writes the graphs if anything changed since the last snapshot. Under the read lock: searches
     * go on, the stream thread (the only writer, and the caller) waits. Nothing may change the
     * index under this shared lock (a second snapshot writer or a search would overlap it): rows
     * not yet linked defer the snapshot to the next commit, whose caller links them first under
     * the write lock. (Linking inside the snapshot once did, and a restored batch arriving between
     * the two steps had the same nodes inserted twice: jvector's "can't add self as neighbor".) With {@code sync} the files
     * are on disk when it returns (close); without, only written to temporary files here, then
     * forced to disk and moved into place by {@link #snapshotSyncer} once the lock is released:
     * the stream thread serves every partition of its tasks in turn, and for a 30,000 × 784
     * partition (~127 MB) writing took 91–419 ms while `bench search` probed freshness, forcing
     * 110–310 ms more. The previous snapshot stays in place until the new one is on disk, so a
     * crash meanwhile restarts from the older one (and replays more of the store): slower, never
     * wrong.
     *
     * @return false when deferred (rows wait to be linked); true when written, when there was
     *         nothing to write, or when writing failed (logged)
     */
    private boolean writeSnapshots(boolean sync) {
        if (snapshots == null) {
            return true;
        }
        lock.readLock().lock();
        try {
            PartitionIndex current = index;
            if (current == null || closed || !(changedSinceSnapshot || snapshotLost)) {
                return true;
            }
            if (current.hasPending()) {
                // rows arrived since the caller linked (a restore batch from another thread): linking
                // them needs the write lock, so this snapshot waits for the next commit
                LOG.debug("partition {}: graph snapshot deferred, rows wait to be linked", partition);
                return false;
            }
            long start = System.nanoTime();
            GraphSnapshotFiles.Unsynced files = snapshots.writeUnsynced(current);
            changedSinceSnapshot = false;
            changesSinceSnapshot = 0;
            snapshotLost = false;
            long writtenMs = (System.nanoTime() - start) / 1_000_000;
            if (sync) {
                int written = files.complete();
                LOG.debug("partition {}: {} graph snapshot(s) written in {} ms, on disk after {} ms", partition, written,
                        writtenMs, (System.nanoTime() - start) / 1_000_000);
            } else {
                snapshotSync = java.util.concurrent.CompletableFuture.runAsync(() -> complete(files, start, writtenMs),
                        snapshotSyncer());
            }
        } catch (java.io.IOException | RuntimeException e) {
            // the next restart rebuilds instead: slower, never wrong
            LOG.warn("partition {}: graph snapshot not written: {}", partition, e.toString());
        } finally {
            lock.readLock().unlock();
        }
        return true;
    }

    /** Forces a snapshot written under the lock to disk and moves it into place (on {@link #snapshotSyncer}). */
    private void complete(GraphSnapshotFiles.Unsynced files, long start, long writtenMs) {
        try {
            int written = files.complete();
            LOG.debug("partition {}: {} graph snapshot(s) written in {} ms on the stream thread, on disk after {} ms",
                    partition, written, writtenMs, (System.nanoTime() - start) / 1_000_000);
        } catch (java.io.IOException | RuntimeException e) {
            snapshotLost = true; // the next commit past the interval writes again
            LOG.warn("partition {}: graph snapshot not written: {}", partition, e.toString());
        }
    }

    /** The thread that forces snapshots to disk, started on first use and stopped by {@link #close()}. */
    private java.util.concurrent.ExecutorService snapshotSyncer() {
        if (syncer == null) {
            syncer = java.util.concurrent.Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "ruvector-graph-snapshots-" + partition);
                thread.setDaemon(true);
                return thread;
            });
        }
        return syncer;
    }

    @Override
    public int graphNodesLoaded() {
        return graphNodesLoaded;
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        beforeCommit();
        inner.commit(changelogOffsets);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    /** Idempotent: a second call does nothing. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            if (snapshotSync != null) {
                snapshotSync.join(); // never throws: complete() catches its own failures
                snapshotSync = null;
            }
            if (index != null) {
                index.linkPending(); // the snapshot changes nothing: link first, under this write lock
            }
            writeSnapshots(true); // a restart loads them (the write lock held here admits the read lock)
            if (syncer != null) {
                syncer.shutdown();
                syncer = null;
            }
            closed = true;
            index = null;
            maintenance.deregister(this);
            inner.close();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return !closed && inner.isOpen();
    }

    /** The derived index, rebuilt from the inner store if needed. Call with a lock held. */
    private PartitionIndex index() {
        PartitionIndex current = index;
        return current != null ? current : rebuild();
    }

    private PartitionIndex rebuild() {
        if (closed) {
            throw new IllegalStateException("vector index store " + name() + " is closed");
        }
        try (MaintenanceJobs.Job job = jobs.start(JobKind.REBUILD, partition)) {
            long start = System.nanoTime();
            PartitionIndex rebuilt = new PartitionIndex(settings, params, this::storedVector, System::currentTimeMillis);
            rebuilt.beginRestore(readSnapshots());
            long loaded = System.nanoTime();
            try (KeyValueIterator<String, byte[]> all = inner.all()) {
                while (all.hasNext()) {
                    KeyValue<String, byte[]> entry = all.next();
                    if (entry.value != null) {
                        replay(rebuilt, entry.key, entry.value);
                    }
                }
            }
            long read = System.nanoTime();
            rebuilt.endRestore();
            graphNodesLoaded = rebuilt.graphNodesLoaded();
            changedSinceSnapshot = true; // rows replayed or graphs built: the next close writes them down
            // rows the snapshots did not hold were linked again: a burst, written once things are quiet
            changesSinceSnapshot = Math.max(0, rows(rebuilt) - graphNodesLoaded);
            lastChangeNanos = System.nanoTime();
            long end = System.nanoTime();
            // an empty partition (every fresh start) is not news: DEBUG; a restored one is, with its phases
            org.slf4j.event.Level level = rebuilt.collections().isEmpty()
                    ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO;
            LOG.atLevel(level).log("partition {}: index rebuilt from its store in {} ms ({} graph nodes taken from snapshots; "
                            + "snapshots read in {} ms, rows in {} ms, graphs finished in {} ms)", partition,
                    (end - start) / 1_000_000, graphNodesLoaded, (loaded - start) / 1_000_000, (read - loaded) / 1_000_000,
                    (end - read) / 1_000_000);
            index = rebuilt;
            return rebuilt;
        }
    }

    /**
     * Restoration wrote {@code batch} to the inner store (a standby's update, an active task's
     * restore): the in-memory index, if built, takes the same records in the same order, so a
     * standby stays ready to answer and a promoted one needs no rebuild. Without an index there is
     * nothing to do: the first use builds it from the store, records included.
     */
    private void restored(List<KeyValue<String, byte[]>> batch) {
        lock.writeLock().lock();
        try {
            PartitionIndex current = index;
            if (closed || current == null) {
                return;
            }
            for (KeyValue<String, byte[]> record : batch) {
                replay(current, record.key, record.value);
            }
            changed(batch.size());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Makes the index hold what the store holds under {@code key} ({@code value} null: the key was deleted). */
    private static void replay(PartitionIndex index, String key, byte[] value) {
        if (WATERMARK_KEY.equals(key)) {
            if (value != null) {
                index.advanceWatermark(ByteBuffer.wrap(value).getLong());
            }
        } else if (BucketRoutes.isStoreKey(key)) {
            if (value != null) {
                index.putRoutes(BucketRoutes.decode(value));
            }
        } else if (value != null) {
            index.load(StoredRowCodec.decode(value));
        } else {
            int slash = key.indexOf('/'); // collection names never contain '/', ids may
            index.drop(key.substring(0, slash), key.substring(slash + 1));
        }
    }

    /** The task directory's snapshot files; none for a context without a directory (test contexts throw for it). */
    private static GraphSnapshotFiles snapshotFiles(StateStoreContext context) {
        java.io.File dir;
        try {
            dir = context.stateDir();
        } catch (NullPointerException e) { // MockProcessorContext without a state directory
            return null;
        }
        return dir == null ? null : new GraphSnapshotFiles(dir.toPath());
    }

    private Map<String, java.nio.ByteBuffer> readSnapshots() {
        if (snapshots == null) {
            return Map.of();
        }
        try {
            return snapshots.read();
        } catch (java.io.IOException e) {
            LOG.warn("partition {}: graph snapshots unreadable ({}); rebuilding the graphs", partition, e.getMessage());
            return Map.of();
        }
    }

    /** A live row's vector as stored (the cold tier's full precision); called under the lock. */
    private float[] storedVector(String collection, String id) {
        byte[] stored = inner.get(TopicNames.vectorKey(collection, id));
        return stored == null ? null : StoredRowCodec.decodeVector(stored);
    }

    private <T> T write(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Builds the index under the write lock first if needed, then runs {@code action} under the read lock. */
    <T> T read(Supplier<T> action) {
        if (index == null) {
            write(this::index);
        }
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }
}
