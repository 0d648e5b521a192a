package io.ruvector.index.store;

import io.ruvector.index.graph.GraphParamsLookup;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.schemas.VectorChange;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.streams.processor.StateStore;

/**
 * One partition of the vector index as a Kafka Streams state store: the processor applies
 * {@code ruvector.vectors} records through it, and IQv2 answers the {@code VectorIndexQuery}s
 * ({@code KnnQuery}, {@code WatermarkQuery}, {@code GetVectorQuery}, {@code StatsQuery},
 * {@code CollectionsQuery}, {@code SampleQuery}) from it (via {@link StateStore#query}).
 *
 * <p>Writes ({@link #apply}, {@link #advanceWatermark}, {@link #refreshParams}) come from the
 * stream thread only, {@link #cleanupGraphs} from the maintenance thread; reads may come from any
 * thread (IQv2) concurrently with them.
 */
public interface VectorIndexStore extends StateStore {

    /** Applies one change under {@link ApplyRules}; returns the decision (the row now stored, or why nothing changed). */
    ApplyRules.Decision apply(VectorChange change);

    /** Raises the partition's watermark to {@code lsn} (lower or equal values are ignored). */
    void advanceWatermark(long lsn);

    /** The partition's watermark LSN, {@link PartitionIndex#NO_WATERMARK} before the first one. */
    long watermark();

    /** The live row {@code collection/id}, if any. */
    Optional<IndexedVector> get(String collection, String id);

    /** The collections this partition has index structures for, sorted. */
    java.util.Set<String> collections();

    /** Live rows of {@code collection} in this partition. */
    int count(String collection);

    /** Top-k of this partition (exact or graph; the result says which). */
    KnnResult search(KnnRequest request);

    /** Counts and memory of {@code collection} in this partition. */
    CollectionStats stats(String collection);

    /** Changes dropped for {@code reason} since this instance opened (not persisted). */
    long dropped(ApplyRules.DropReason reason);

    /**
     * Where graph params come from (the collection specs); set by the processor before it applies
     * anything. Until then, and for collections the lookup does not know, the defaults apply.
     */
    void useParams(GraphParamsLookup params);

    /** Re-reads the graph params of every collection; graphs whose params changed are rebuilt. */
    void refreshParams();

    /**
     * Removes deleted graph nodes where they reached the cleanup fraction; returns how many.
     * Does nothing (returns 0) while the index is not built or the store is closed.
     */
    int cleanupGraphs();

    /** As {@link #cleanupGraphs()}, only for the collections {@code allowed} accepts (not paused, not gated). */
    int cleanupGraphs(Predicate<String> allowed);

    /**
     * Shrinks the arrays of collections that have had no put for {@code quiet} to their rows
     * (growth leaves up to a third unused) for those {@code allowed} accepts; returns the bytes freed.
     */
    long releaseSlack(java.time.Duration quiet, Predicate<String> allowed);

    /**
     * Compacts {@code collection} in this partition now: removes all its deleted graph nodes whatever
     * the cleanup fraction, and purges its tombstones at or behind the watermark committed before
     * {@code purgeCommittedBeforeMillis} (from the index and, as a delete, from the changelogged
     * store). Works in slices: the write lock is released every {@code slice} (a graph's node removal
     * is one indivisible slice), so applies and queries go on between them. Returns what it did;
     * an empty result while the store is closed.
     */
    PartitionCompaction compact(String collection, long purgeCommittedBeforeMillis, Duration slice);

    /** The task partition this store belongs to ({@code -1} before {@link #init}). */
    int partition();

    /**
     * Builds the in-memory index now if it is not built yet, instead of on first use: a standby
     * copy that has caught up is warmed so that it can answer at once when its active instance is
     * lost. From then on restored records are replayed into it as they arrive.
     */
    void warm();

    /**
     * {@link #warm()} off the calling thread, on the maintenance's warm-up threads (at once where
     * it schedules nothing): the stream thread calls it as its task starts, after the restore, so
     * the partitions of a restarted instance build their indexes side by side instead of one after
     * the other on first use.
     */
    void warmSoon();

    /** Whether the in-memory index is built (a query would not have to wait for a rebuild). */
    boolean warmed();

    /**
     * Whether a burst of changes has settled since the last graph snapshot, so that the next
     * commit should write one now rather than at its interval (the processor then asks for a commit).
     */
    boolean snapshotDue();

    /** Graph nodes the last rebuild took over from on-disk snapshots instead of linking them again. */
    int graphNodesLoaded();

    /** The bucket routes this partition knows for {@code collection}, or null before its first announcement. */
    io.ruvector.index.handoff.BucketRoutes routes(String collection);

    /** Installs and persists (changelogged) {@code routes}. */
    void saveRoutes(io.ruvector.index.handoff.BucketRoutes routes);

    /** The ids with a state (live row or tombstone) of {@code collection} in the buckets {@code buckets} accepts. */
    java.util.List<String> idsIn(String collection, java.util.function.IntPredicate buckets);

    /** The stored state of {@code collection/id}: live row, tombstone, or null when never seen. */
    StoredRow current(String collection, String id);

    /**
     * Forgets, in memory and in the changelogged store, every state of {@code collection} in the
     * buckets {@code buckets} accepts (they belong to another partition now); returns how many.
     */
    int forget(String collection, java.util.function.IntPredicate buckets);

    /**
     * Moves the rows of {@code collection} neither written nor returned since
     * {@code idleSinceMillis} to the cold tier (int8 codes in memory, re-scored from the store),
     * in one hold of the write lock.
     */
    ColdEviction evictIdle(String collection, long idleSinceMillis);

    /** What {@link #evictIdle} would do now (a dry run): rows, and memory before and after. */
    ColdEviction planEviction(String collection, long idleSinceMillis);

    /** Brings every cold row of {@code collection} back to full precision; returns how many. */
    int promoteAll(String collection);

    /** Where the tier policies come from (the topology passes the collection specs). */
    void useTiering(TieringLookup lookup);

    /**
     * One tier pass over the collections with a tier policy that {@code allowed} accepts (a
     * demotion is high-risk maintenance: not paused, not gated); called by the maintenance thread.
     */
    void applyTiers(Predicate<String> allowed);

    /** The states of {@code ids} here (absent when never seen), with the live rows when {@code withRows}. */
    java.util.Map<String, io.ruvector.index.query.RowVersion> versions(String collection, java.util.Set<String> ids,
                                                                      boolean withRows);
}
