package io.ruvector.index.store;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.GraphParamsLookup;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.graph.VectorGraph;
import io.ruvector.index.handoff.BucketRoutes;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.BucketDigests;
import io.ruvector.index.query.BucketRowsQuery;
import io.ruvector.index.query.RowDigest;
import io.ruvector.index.query.RowVersion;
import io.ruvector.index.query.TransitMark;
import io.ruvector.index.query.VectorRecord;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.query.SearchStrategy;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.route.Buckets;
import io.ruvector.schemas.topic.TopicNames;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Everything one partition knows, in memory, with no Kafka Streams plumbing: the live rows and
 * graph per collection ({@link CollectionIndex}), the tombstones of deleted ids, the watermark and
 * drop counters. {@link PartitionVectorIndexStore} writes every {@link ApplyRules.Apply} through to
 * its changelogged key-value store and rebuilds one of these from it after a restore, via
 * {@link #beginRestore()}, {@link #load(StoredRow)} and {@link #endRestore()}; tests drive this
 * class directly.
 *
 * <p>Graph params per collection come from a {@link GraphParamsLookup} (the collection specs),
 * with {@link HnswSettings#defaultParams()} for a collection whose spec is not known yet;
 * {@link #refreshParams()} applies later spec changes.
 *
 * <p>Tombstones are kept until compaction ({@code compact_indexes}) purges them: only those behind
 * the watermark and committed longer ago than a retention window (see
 * {@link #purgeableTombstones(String, long)}), since a replay can only come from a capture restart
 * within minutes.
 *
 * <p>Not thread-safe: the owning store serialises writers against readers; only
 * {@link #advanceWatermark} may run beside readers.
 */
public final class PartitionIndex {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PartitionIndex.class);

    /** Watermark before the first {@code Watermark} record arrives. */
    public static final long NO_WATERMARK = -1L;

    private final HnswSettings settings;
    private final GraphParamsLookup params;
    private final CollectionIndex.FullVectors store;
    private final java.util.function.LongSupplier clock;
    private final Map<String, CollectionIndex> collections = new HashMap<>();
    private final Map<String, Tombstone> tombstones = new HashMap<>();
    private final Map<String, Integer> tombstonesPerCollection = new HashMap<>();
    /** Bucket routes of collections this partition saw an announcement for (none before the first rebalance). */
    private final Map<String, BucketRoutes> routes = new HashMap<>();
    /** Collections whose routes changed since a stats call last found no row of a bucket owned elsewhere (stats run under the read lock). */
    private final java.util.Set<String> mayHoldForeignRows = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final EnumMap<ApplyRules.DropReason, Long> drops = new EnumMap<>(ApplyRules.DropReason.class);
    /** Volatile: the stream thread raises it under the owning store's read lock, beside readers. */
    private volatile long watermark = NO_WATERMARK;
    private boolean restoring;
    /** Rows of collections reconciling a snapshot that were not claimed: linked after the reconcile. */
    private final List<IndexedVector> tail = new ArrayList<>();
    private int graphNodesLoaded;

    /** Default settings, no collection specs. */
    public PartitionIndex() {
        this(HnswSettings.DEFAULT, GraphParamsLookup.NONE);
    }

    public PartitionIndex(HnswSettings settings, GraphParamsLookup params) {
        this(settings, params, CollectionIndex.FullVectors.NONE, System::currentTimeMillis);
    }

    /**
     * @param store the durable store's vectors, read back for rows in the cold tier
     * @param clock ms since the epoch: when rows are written or returned, for {@link #evictIdle}
     */
    PartitionIndex(HnswSettings settings, GraphParamsLookup params, CollectionIndex.FullVectors store,
                   java.util.function.LongSupplier clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.params = Objects.requireNonNull(params, "params");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Applies {@code change} under {@link ApplyRules}; returns the decision (the row to persist, or why not). */
    public ApplyRules.Decision apply(VectorChange change) {
        ApplyRules.Decision decision = ApplyRules.decide(current(change.getCollection(), change.getId()), change);
        if (decision instanceof ApplyRules.Apply(IndexedVector row)) {
            CollectionIndex index = collections.get(row.collection());
            if (index != null && index.dims() != row.dimensions()) {
                decision = new ApplyRules.Drop(ApplyRules.DropReason.DIMENSION_MISMATCH);
            }
        }
        switch (decision) {
            case ApplyRules.Apply(StoredRow row) -> load(row);
            case ApplyRules.Drop(ApplyRules.DropReason reason) -> drops.merge(reason, 1L, Long::sum);
        }
        return decision;
    }

    /**
     * Installs {@code row} as the id's state without checking the rules (used to rebuild after
     * restore, and by {@link #apply}); graphs are kept in step unless a restore is in progress.
     */
    public void load(StoredRow row) {
        Objects.requireNonNull(row, "row");
        String key = TopicNames.vectorKey(row.collection(), row.id());
        switch (row) {
            case IndexedVector live -> {
                if (tombstones.remove(key) != null) {
                    tombstonesPerCollection.merge(live.collection(), -1, Integer::sum);
                }
                CollectionIndex index = collections.computeIfAbsent(live.collection(), c -> new CollectionIndex(c,
                        live.dimensions(), paramsFor(c), settings, store, clock));
                if (restoring && index.reconciling() && index.dims() != live.dimensions()) {
                    index = discardSnapshot(index, live);
                }
                if (restoring && index.reconciling()) {
                    if (!index.claim(live)) {
                        tail.add(live);
                    }
                } else {
                    index.put(live, !restoring);
                }
            }
            case Tombstone dead -> {
                CollectionIndex index = collections.get(dead.collection());
                if (index != null) {
                    index.remove(dead.id());
                }
                if (tombstones.put(key, dead) == null) {
                    tombstonesPerCollection.merge(dead.collection(), 1, Integer::sum);
                }
            }
        }
    }

    /** Defers graph building: rows {@link #load}ed until {@link #endRestore()} are linked in one parallel build. */
    public void beginRestore() {
        restoring = true;
    }

    /**
     * As {@link #beginRestore()}, starting from graph snapshots ({@link #writeSnapshot}) by
     * collection: rows {@link #load}ed as the snapshot held them keep their graph node; the rest is
     * linked after {@link #endRestore()}. A snapshot that does not fit (other params, damaged) is
     * skipped: that collection's graph is built as without one.
     */
    public void beginRestore(Map<String, java.nio.ByteBuffer> snapshots) {
        restoring = true;
        snapshots.forEach((collection, bytes) -> {
            try {
                CollectionIndex loaded = CollectionIndex.fromSnapshot(collection, bytes, paramsFor(collection), settings,
                        store, clock);
                if (loaded != null) {
                    collections.put(collection, loaded);
                }
            } catch (java.io.IOException e) {
                LOG.warn("graph snapshot of {} is unusable ({}); rebuilding its graph", collection, e.getMessage());
            }
        });
    }

    /** Builds the graph of every collection that has enough rows (after reconciling loaded snapshots). */
    public void endRestore() {
        restoring = false;
        graphNodesLoaded = 0;
        for (java.util.Iterator<CollectionIndex> it = collections.values().iterator(); it.hasNext(); ) {
            CollectionIndex index = it.next();
            if (index.reconciling() && index.size() == 0) {
                // no stored row is in the snapshot (stale, or the collection is new again): nothing to keep,
                // and its dimensions must not decide those of the rows to come
                index.close();
                it.remove();
            } else if (index.reconciling()) {
                graphNodesLoaded += index.finishReconcile();
            }
        }
        tail.forEach(this::load); // changed or new since the snapshot: linked in batches like any put
        tail.clear();
        collections.values().forEach(CollectionIndex::ensureGraph);
    }

    /**
     * A snapshot of other dimensions than the stored rows (the collection was registered again
     * with another vector type): of no use. Its rows claimed so far move to a plain index.
     */
    private CollectionIndex discardSnapshot(CollectionIndex stale, IndexedVector row) {
        LOG.warn("graph snapshot of {} has {} dimensions, its rows {}: rebuilding its graph", row.collection(),
                stale.dims(), row.dimensions());
        CollectionIndex fresh = new CollectionIndex(row.collection(), row.dimensions(), paramsFor(row.collection()),
                settings, store, clock);
        for (IndexedVector claimed : stale.claimedRows()) {
            if (claimed.dimensions() == row.dimensions()) {
                fresh.put(claimed, false);
            }
        }
        stale.close();
        collections.put(row.collection(), fresh);
        return fresh;
    }

    /** Graph nodes the last {@link #endRestore()} took over from snapshots instead of linking them. */
    public int graphNodesLoaded() {
        return graphNodesLoaded;
    }

    /**
     * Writes a snapshot of each collection that has a graph and no cold rows, by collection name:
     * see {@link #beginRestore(Map)}. Changes nothing: call {@link #linkPending()} first (under
     * the write lock), see {@link #hasPending()}.
     */
    public void writeSnapshots(SnapshotSink sink) throws java.io.IOException {
        for (Map.Entry<String, CollectionIndex> e : collections.entrySet()) {
            CollectionIndex index = e.getValue();
            // a collection with cold rows has no vectors in memory to write: a restart rebuilds its graph
            if (index.graph() != null && !index.hasColdTier()) {
                sink.write(e.getKey(), index::writeSnapshot);
            }
        }
    }

    /** Whether some collection has rows put but not yet linked into its graph (no snapshot until they are). */
    public boolean hasPending() {
        for (CollectionIndex index : collections.values()) {
            if (index.graph() != null && index.pendingCount() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Where {@link #writeSnapshots} puts each collection's snapshot: it runs {@code body} on a stream it owns. */
    @FunctionalInterface
    public interface SnapshotSink {
        void write(String collection, SnapshotBody body) throws java.io.IOException;
    }

    /** Writes one collection's snapshot. */
    @FunctionalInterface
    public interface SnapshotBody {
        void writeTo(java.io.DataOutputStream out) throws java.io.IOException;
    }

    /** Re-reads every collection's graph params; a graph whose params changed is rebuilt. */
    public void refreshParams() {
        collections.forEach((name, index) -> index.reconfigure(paramsFor(name)));
    }

    /** Whether {@link #refreshParams()} would reconfigure any collection (and so possibly rebuild its graph). */
    public boolean paramsChanged() {
        for (Map.Entry<String, CollectionIndex> e : collections.entrySet()) {
            if (!paramsFor(e.getKey()).equals(e.getValue().params())) {
                return true;
            }
        }
        return false;
    }

    /** Links every collection's pending rows into its graph (the store's flush); returns how many. */
    public int linkPending() {
        int linked = 0;
        for (CollectionIndex index : collections.values()) {
            linked += index.linkPending();
        }
        return linked;
    }

    /** Graph nodes of {@code collection} no search can reach (see {@link io.ruvector.index.graph.VectorGraph#unreachableNodes()}); 0 without a graph. */
    int unreachableGraphNodes(String collection) {
        CollectionIndex index = collections.get(collection);
        return index == null || index.graph() == null ? 0 : index.graph().unreachableNodes();
    }

    /** Rows of {@code collection} waiting to be linked into its graph. */
    public int pending(String collection) {
        CollectionIndex index = collections.get(collection);
        return index == null || index.graph() == null ? 0 : index.pendingCount();
    }

    /** Links at most {@code max} pending rows of one collection that has some; returns how many (0: none waits). */
    public int linkPendingSlice(int max) {
        for (CollectionIndex index : collections.values()) {
            if (index.graph() != null && index.pendingCount() > 0) {
                return index.linkPending(max);
            }
        }
        return 0;
    }

    /** Removes deleted graph nodes of collections where they reached the cleanup fraction; returns how many. */
    public int cleanupGraphs() {
        return cleanupGraphs(collection -> true);
    }

    /** As {@link #cleanupGraphs()}, only for the collections {@code allowed} accepts. */
    public int cleanupGraphs(Predicate<String> allowed) {
        int removed = 0;
        for (Map.Entry<String, CollectionIndex> e : collections.entrySet()) {
            if (e.getValue().needsCleanup(settings.cleanupDeletedFraction()) && allowed.test(e.getKey())) {
                removed += e.getValue().removeDeletedNodes();
            }
        }
        return removed;
    }

    /**
     * Whether a collection {@code allowed} accepts has arrays {@link CollectionIndex#releaseSlack()
     * to trim} after {@code quietNanos} without puts.
     */
    public boolean hasSlack(long quietNanos, Predicate<String> allowed) {
        for (Map.Entry<String, CollectionIndex> e : collections.entrySet()) {
            if (e.getValue().hasSlack(quietNanos) && allowed.test(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    /** Trims the arrays of the collections {@code allowed} accepts that have slack; returns the bytes freed. */
    public long releaseSlack(long quietNanos, Predicate<String> allowed) {
        long freed = 0;
        for (Map.Entry<String, CollectionIndex> e : collections.entrySet()) {
            if (e.getValue().hasSlack(quietNanos) && allowed.test(e.getKey())) {
                freed += e.getValue().releaseSlack();
            }
        }
        return freed;
    }

    /** Whether {@link #cleanupGraphs()} would remove anything. */
    public boolean needsCleanup() {
        for (CollectionIndex index : collections.values()) {
            if (index.needsCleanup(settings.cleanupDeletedFraction())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes every deleted graph node of {@code collection} now, whatever the cleanup fraction
     * (compaction); returns how many. One indivisible jvector call per graph.
     */
    public int removeDeletedNodes(String collection) {
        CollectionIndex index = collections.get(collection);
        return index == null ? 0 : index.removeDeletedNodes();
    }

    /**
     * The tombstones of {@code collection} that compaction may purge: delete at or behind the
     * watermark (so nothing older for the id is still in flight ahead of it) and committed before
     * {@code committedBeforeMillis} (the retention window: replays of older changes come only from a
     * capture restart, within minutes). Tombstones of unknown commit time are kept.
     */
    public List<Tombstone> purgeableTombstones(String collection, long committedBeforeMillis) {
        List<Tombstone> purgeable = new ArrayList<>();
        if (tombstonesPerCollection.getOrDefault(collection, 0) == 0) {
            return purgeable;
        }
        for (Tombstone dead : tombstones.values()) {
            if (dead.collection().equals(collection) && dead.lsn() <= watermark
                    && dead.commitMillis() != Tombstone.UNKNOWN_COMMIT && dead.commitMillis() < committedBeforeMillis) {
                purgeable.add(dead);
            }
        }
        return purgeable;
    }

    /**
     * Forgets {@code dead} if it is still the id's state (a later change may have replaced it since
     * it was listed); returns whether it did. The caller deletes it from the durable store too.
     */
    public boolean purge(Tombstone dead) {
        String key = TopicNames.vectorKey(dead.collection(), dead.id());
        if (!dead.equals(tombstones.get(key))) {
            return false;
        }
        tombstones.remove(key);
        tombstonesPerCollection.merge(dead.collection(), -1, Integer::sum);
        return true;
    }

    /** The stored state of an id: live row, tombstone, or null when never seen. */
    public StoredRow current(String collection, String id) {
        CollectionIndex index = collections.get(collection);
        IndexedVector live = index == null ? null : index.get(id);
        return live != null ? live : tombstones.get(TopicNames.vectorKey(collection, id));
    }

    /** The live row, or null; a row returned counts as used (the cold tier's clock). */
    public IndexedVector get(String collection, String id) {
        CollectionIndex index = collections.get(collection);
        IndexedVector row = index == null ? null : index.get(id);
        if (row != null) {
            index.touch(id);
        }
        return row;
    }

    /**
     * Moves the rows of {@code collection} neither written nor returned since
     * {@code idleSinceMillis} to the cold tier (see {@link CollectionIndex#evictIdle}).
     */
    public ColdEviction evictIdle(String collection, long idleSinceMillis) {
        CollectionIndex index = collections.get(collection);
        if (index == null) {
            return new ColdEviction(0, 0, 0, 0, 0);
        }
        CollectionIndex.Eviction done = index.evictIdle(idleSinceMillis);
        long bytes = index.vectorBytes();
        return new ColdEviction(done.rows(), done.retiredNodes(), done.rows() == 0 && done.retiredNodes() == 0
                ? bytes : done.bytesBefore(), bytes, index.coldRows());
    }

    /** What {@link #evictIdle} would do now, without doing it. */
    public ColdEviction planEviction(String collection, long idleSinceMillis) {
        CollectionIndex index = collections.get(collection);
        if (index == null) {
            return new ColdEviction(0, 0, 0, 0, 0);
        }
        CollectionIndex.Eviction plan = index.planEviction(idleSinceMillis);
        long bytes = index.vectorBytes();
        return plan.rows() == 0 && plan.retiredNodes() == 0 ? new ColdEviction(0, 0, bytes, bytes, index.coldRows())
                : new ColdEviction(plan.rows(), plan.retiredNodes(), plan.bytesBefore(), plan.bytesAfter(),
                        index.coldRows() + plan.rows());
    }

    /** Whether a tier pass of {@code collection} under {@code tiering} would move anything now. */
    public boolean tierWork(String collection, Tiering tiering) {
        CollectionIndex index = collections.get(collection);
        return index != null && index.tierWork(clock.getAsLong() - tiering.hot().toMillis());
    }

    /**
     * One tier pass of {@code collection}: the compressed rows returned or written since they went
     * cold come back to float32, then the rows idle past {@code tiering}'s hot time go to codes.
     */
    public TierMoves applyTiers(String collection, Tiering tiering) {
        CollectionIndex index = collections.get(collection);
        if (index == null) {
            return TierMoves.NONE;
        }
        int promoted = index.promoteReturned();
        CollectionIndex.Eviction demoted = index.evictIdle(clock.getAsLong() - tiering.hot().toMillis());
        return new TierMoves(demoted.rows(), promoted);
    }

    /** Brings every cold row of {@code collection} back to full precision; returns how many. */
    public int promoteAll(String collection) {
        CollectionIndex index = collections.get(collection);
        return index == null ? 0 : index.promoteAll();
    }

    /** {@code collection}'s index, or null: for tests in this package that look inside. */
    CollectionIndex collectionIndex(String collection) {
        return collections.get(collection);
    }

    /** Live rows in {@code collection}. */
    public int count(String collection) {
        CollectionIndex index = collections.get(collection);
        return index == null ? 0 : index.size();
    }

    /** Top-k of this partition (exact or graph, see {@link CollectionSearcher}); an unknown collection has no hits. */
    public KnnResult search(KnnRequest request) {
        CollectionIndex index = collections.get(request.collection());
        if (index == null) {
            return new KnnResult(List.of(), watermark, SearchStrategy.EXACT);
        }
        KnnResult result = CollectionSearcher.search(index, request, settings, watermark);
        BucketRoutes known = routes.get(request.collection());
        return known == null ? result : result.withTransit(transitMarks(index, known, result));
    }

    /**
     * Marks the hits whose bucket is moving: owned elsewhere now (handed out, not yet forgotten) or
     * taken over from a partition that has not confirmed the hand-off.
     */
    private Map<String, TransitMark> transitMarks(CollectionIndex index, BucketRoutes known, KnnResult result) {
        Map<String, TransitMark> marks = new HashMap<>();
        for (KnnHit hit : result.hits()) {
            int bucket = Buckets.of(hit.id());
            int owner = known.owner(bucket);
            int peer = owner != known.self() ? owner : known.incomingFrom(bucket);
            if (peer != BucketRoutes.NONE) {
                CollectionIndex.Row row = index.row(hit.id());
                if (row != null) {
                    marks.put(hit.id(), new TransitMark(peer, row.lsn(), row.snapshot()));
                }
            }
        }
        return marks;
    }

    /** The routes this partition knows for {@code collection}, or null before its first announcement. */
    public BucketRoutes routes(String collection) {
        return routes.get(collection);
    }

    /** Installs {@code next} (the caller persists it). */
    public void putRoutes(BucketRoutes next) {
        routes.put(next.collection(), next);
        mayHoldForeignRows.add(next.collection());
    }

    /** The ids with a state (live row or tombstone) of {@code collection} in buckets {@code buckets} accepts. */
    public List<String> idsIn(String collection, IntPredicate buckets) {
        List<String> out = new ArrayList<>();
        CollectionIndex index = collections.get(collection);
        if (index != null) {
            for (String id : index.ids()) {
                if (buckets.test(Buckets.of(id))) {
                    out.add(id);
                }
            }
        }
        if (tombstonesPerCollection.getOrDefault(collection, 0) > 0) {
            for (Tombstone dead : tombstones.values()) {
                if (dead.collection().equals(collection) && buckets.test(Buckets.of(dead.id()))) {
                    out.add(dead.id());
                }
            }
        }
        return out;
    }

    /**
     * Forgets every state (live row or tombstone) of {@code collection} in buckets {@code buckets}
     * accepts, leaving no tombstone: another partition holds them now. Returns the store keys to
     * delete from the durable store.
     */
    public List<String> forget(String collection, IntPredicate buckets) {
        List<String> keys = new ArrayList<>();
        for (String id : idsIn(collection, buckets)) {
            drop(collection, id);
            keys.add(TopicNames.vectorKey(collection, id));
        }
        return keys;
    }

    /**
     * Forgets the id's state (live row or tombstone) without leaving a tombstone: what a deleted key
     * of the durable store means (a purged tombstone, a row handed to another partition).
     */
    public void drop(String collection, String id) {
        String key = TopicNames.vectorKey(collection, id);
        if (tombstones.remove(key) != null) {
            tombstonesPerCollection.merge(collection, -1, Integer::sum);
        } else {
            CollectionIndex index = collections.get(collection);
            if (index != null) {
                index.remove(id);
            }
        }
    }

    /** The state of each of {@code ids} this partition holds (absent when never seen), with live rows when asked. */
    public Map<String, RowVersion> versions(String collection, Set<String> ids, boolean withRows) {
        Map<String, RowVersion> out = new HashMap<>();
        CollectionIndex index = collections.get(collection);
        for (String id : ids) {
            CollectionIndex.Row live = index == null ? null : index.row(id);
            if (live != null) {
                IndexedVector full = withRows ? index.get(id) : null; // the vector is copied only for lookups
                out.put(id, new RowVersion(live.lsn(), live.snapshot(), false, full == null ? null
                        : new VectorRecord(collection, id, full.tenant(), full.vector(), full.metadata(), full.lsn())));
            } else {
                Tombstone dead = tombstones.get(TopicNames.vectorKey(collection, id));
                if (dead != null) {
                    out.put(id, new RowVersion(dead.lsn(), dead.snapshot(), true, null));
                }
            }
        }
        return out;
    }

    /** The bucket digests of {@code collection}'s live rows here (see {@code BucketDigestsQuery}). */
    public BucketDigests digests(String collection) {
        BucketDigests digests = BucketDigests.empty();
        CollectionIndex index = collections.get(collection);
        if (index != null) {
            index.forEachLive(digests::add);
        }
        return digests;
    }

    /** The states held for ids of {@code collection} in {@code buckets} (see {@code BucketRowsQuery}). */
    public List<BucketRowsQuery.RowState> rowStates(String collection, Set<Integer> buckets) {
        List<BucketRowsQuery.RowState> out = new ArrayList<>();
        CollectionIndex index = collections.get(collection);
        if (index != null) {
            for (String id : index.ids()) {
                if (buckets.contains(Buckets.of(id))) {
                    IndexedVector row = index.get(id); // not PartitionIndex#get: a check is no use of the row
                    out.add(new BucketRowsQuery.RowState(id, row.lsn(), row.snapshot(), false, RowDigest.of(id, row.vector())));
                }
            }
        }
        if (tombstonesPerCollection.getOrDefault(collection, 0) > 0) {
            for (Tombstone dead : tombstones.values()) {
                if (dead.collection().equals(collection) && buckets.contains(Buckets.of(dead.id()))) {
                    out.add(new BucketRowsQuery.RowState(dead.id(), dead.lsn(), dead.snapshot(), true, 0));
                }
            }
        }
        return out;
    }

    /** The collections this partition has index structures for, sorted. */
    public Set<String> collections() {
        return new TreeSet<>(collections.keySet());
    }

    /** Up to {@code max} live vectors of {@code collection}, uniformly at random (see {@code SampleQuery}). */
    public List<float[]> sample(String collection, int max, long seed) {
        CollectionIndex index = collections.get(collection);
        return index == null || max <= 0 ? List.of() : index.sample(max, seed);
    }

    /** Counts and memory of {@code collection} in this partition. */
    public CollectionStats stats(String collection) {
        int tombstoneCount = tombstonesPerCollection.getOrDefault(collection, 0);
        CollectionIndex index = collections.get(collection);
        if (index == null) { // perhaps taking over its first rows
            return new CollectionStats(collection, 0, 0, tombstoneCount, watermark, 0, 0, false, 0, 0, null, 0,
                    handingOff(collection));
        }
        VectorGraph graph = index.graph();
        boolean handOff = handingOff(collection);
        return graph == null
                ? new CollectionStats(collection, index.size(), 0, tombstoneCount, watermark, index.vectorBytes(), 0,
                        false, 0, 0, null, 0, handOff)
                : new CollectionStats(collection, index.size(), graph.deletedNodes(), tombstoneCount, watermark,
                        index.vectorBytes(), graph.ramBytesUsed(), true, graph.params().m(),
                        graph.params().efConstruction(), graph.metric(), index.coldRows(), handOff);
    }

    /** Whether live rows of buckets now owned by other partitions are still held here (not yet forgotten). */
    public boolean holdsForeignRows(String collection) {
        BucketRoutes known = routes.get(collection);
        CollectionIndex index = collections.get(collection);
        return known != null && index != null && index.anyId(id -> !known.owns(Buckets.of(id)));
    }

    /**
     * Whether rows of a hand-off still move in (a taken-over bucket's previous owner has not
     * confirmed) or out (live rows of buckets now owned elsewhere are still here, awaiting their
     * new owner's ack). The outgoing check scans the ids only after new routes, until it finds none.
     */
    private boolean handingOff(String collection) {
        BucketRoutes known = routes.get(collection);
        if (known == null) {
            return false;
        }
        if (known.awaitsAnyPeer()) {
            return true;
        }
        if (!mayHoldForeignRows.contains(collection)) {
            return false;
        }
        boolean foreign = holdsForeignRows(collection);
        if (!foreign) {
            mayHoldForeignRows.remove(collection);
        }
        return foreign;
    }

    /** Raises the watermark to {@code lsn}; returns false (and keeps it) when {@code lsn} is not higher. */
    public boolean advanceWatermark(long lsn) {
        if (lsn <= watermark) {
            return false;
        }
        watermark = lsn;
        return true;
    }

    public long watermark() {
        return watermark;
    }

    /** Changes dropped for {@code reason} since this index was built (not persisted). */
    public long dropped(ApplyRules.DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    private GraphParams paramsFor(String collection) {
        return params.find(collection).orElseGet(settings::defaultParams);
    }
}
