package io.ruvector.index.store;

import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.topic.TopicNames;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one partition knows, in memory, with no Kafka Streams plumbing: the live rows per
 * collection ({@link CollectionIndex}), the tombstones of deleted ids, the watermark and drop
 * counters. {@link PartitionVectorIndexStore} writes every {@link ApplyRules.Apply} through to its
 * changelogged key-value store and rebuilds one of these from it after a restore, via
 * {@link #load(StoredRow)}; tests drive this class directly.
 *
 * <p>Tombstones are kept forever in this slice (one small entry per deleted id); pruning them
 * safely needs a bound on redelivery, e.g. below the capture's confirmed LSN, and is left out.
 *
 * <p>Not thread-safe: the owning store serialises writers against readers.
 */
public final class PartitionIndex {

    /** Watermark before the first {@code Watermark} record arrives. */
    public static final long NO_WATERMARK = -1L;

    private final Map<String, CollectionIndex> collections = new HashMap<>();
    private final Map<String, Tombstone> tombstones = new HashMap<>();
    private final EnumMap<ApplyRules.DropReason, Long> drops = new EnumMap<>(ApplyRules.DropReason.class);
    private long watermark = NO_WATERMARK;

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

    /** Installs {@code row} as the id's state without checking the rules: used to rebuild after restore. */
    public void load(StoredRow row) {
        Objects.requireNonNull(row, "row");
        String key = TopicNames.vectorKey(row.collection(), row.id());
        switch (row) {
            case IndexedVector live -> {
                tombstones.remove(key);
                collections.computeIfAbsent(live.collection(), c -> new CollectionIndex(live.dimensions())).put(live);
            }
            case Tombstone dead -> {
                CollectionIndex index = collections.get(dead.collection());
                if (index != null) {
                    index.remove(dead.id());
                }
                tombstones.put(key, dead);
            }
        }
    }

    /** The stored state of an id: live row, tombstone, or null when never seen. */
    public StoredRow current(String collection, String id) {
        CollectionIndex index = collections.get(collection);
        IndexedVector live = index == null ? null : index.get(id);
        return live != null ? live : tombstones.get(TopicNames.vectorKey(collection, id));
    }

    /** The live row, or null. */
    public IndexedVector get(String collection, String id) {
        return current(collection, id) instanceof IndexedVector live ? live : null;
    }

    /** Live rows in {@code collection}. */
    public int count(String collection) {
        CollectionIndex index = collections.get(collection);
        return index == null ? 0 : index.size();
    }

    /** Exact top-k of this partition; an unknown collection has no hits. */
    public KnnResult search(KnnRequest request) {
        CollectionIndex index = collections.get(request.collection());
        List<KnnHit> hits = index == null ? List.of() : index.search(request);
        return new KnnResult(hits, watermark);
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
}
