package io.ruvector.index.handoff;

import io.ruvector.index.store.IndexedVector;
import io.ruvector.index.store.StoredRow;
import io.ruvector.index.store.Tombstone;
import io.ruvector.index.store.VectorIndexStore;
import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.HandOffAck;
import io.ruvector.schemas.HandOffDone;
import io.ruvector.schemas.RouteChange;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.route.Buckets;
import io.ruvector.schemas.topic.TopicNames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One index partition's side of the bucket hand-off (docs/topics.md). Runs on the task's stream
 * thread, between the records of the partition, so every step is ordered with the changes:
 *
 * <ol>
 *   <li>{@link RouteChange} (the capture's announcement of epoch e): record the new owners; rows this
 *       partition holds in buckets it no longer owns are frozen from now on and sent, live and
 *       deleted, with their original LSNs to their new owners; then {@link HandOffDone} to every
 *       owner. Buckets taken over are marked until their previous owner's {@code HandOffDone}.</li>
 *   <li>{@link HandOffDone} from p: everything p held of our buckets is applied (it came ahead in
 *       this partition): clear p's marks, answer {@link HandOffAck}.</li>
 *   <li>{@link HandOffAck} from q for the current epoch: forget the rows handed to q.</li>
 *   <li>A change for a bucket another partition owns (routed by a stale epoch, or a copy overtaken
 *       by a newer epoch) is fenced: forwarded to the owner, not applied here.</li>
 * </ol>
 *
 * Every step is idempotent, and the routes are persisted with the store, so a crash at any point
 * repeats the interrupted step after the restart (the apply rules drop copies already applied).
 */
public final class HandOffCoordinator {

    /**
     * Fault injection for the crash tests: with this system property set to {@code after-epoch},
     * {@code mid-copy} or {@code before-forget}, the JVM halts (no shutdown hook, no flush: as a
     * SIGKILL) when a partition holding rows to hand over reaches that step. Unset in production.
     */
    public static final String FAILPOINT_PROPERTY = "ruvector.failpoint.handoff";
    /** Header of a copy sent during a hand-off: applied like a change, not counted as ingest. */
    public static final String COPY_HEADER = "ruvector-handoff-copy";
    private static final Logger LOG = LoggerFactory.getLogger(HandOffCoordinator.class);

    /** Where the coordinator sends records: a partition of the vectors topic. */
    public interface Outbox {
        void send(int partition, String key, SpecificRecord value, boolean copy);
    }

    private final VectorIndexStore store;
    private final int self;
    private final Outbox out;
    private final String failpoint = System.getProperty(FAILPOINT_PROPERTY);

    public HandOffCoordinator(VectorIndexStore store, int self, Outbox out) {
        this.store = Objects.requireNonNull(store, "store");
        this.self = self;
        this.out = Objects.requireNonNull(out, "out");
    }

    private void failpoint(String step) {
        if (step.equals(failpoint)) {
            LOG.warn("partition {}: failpoint {} reached: halting the JVM", self, step);
            Runtime.getRuntime().halt(137);
        }
    }

    /**
     * Forwards {@code change} to its bucket's owner when that is another partition; returns whether
     * it did (the caller then does not apply it).
     */
    public boolean fence(VectorChange change) {
        BucketRoutes known = store.routes(change.getCollection());
        if (known == null) {
            return false;
        }
        int bucket = Buckets.of(change.getId());
        if (known.owns(bucket)) {
            return false;
        }
        out.send(known.owner(bucket), TopicNames.vectorKey(change.getCollection(), change.getId()), change, false);
        return true;
    }

    /** Step 1: a new epoch. */
    public void onRouteChange(RouteChange change) {
        String collection = change.getCollection();
        BucketRoutes known = store.routes(collection);
        if (known != null && (change.getEpoch() < known.epoch()
                || (change.getEpoch() == known.epoch() && known.copiedEpoch() == known.epoch()))) {
            return; // an older epoch, or a replay of a step already done
        }
        BucketRoutes next = known != null && change.getEpoch() == known.epoch() ? known
                : BucketRoutes.next(known, collection, change.getEpoch(), change.getBuckets(), change.getPreviousBuckets(), self);
        store.saveRoutes(next); // from here on, changes of buckets owned elsewhere are fenced: the rows below are final
        Map<Integer, Long> sent = new TreeMap<>();
        // ids first, then one row at a time: the rows leaving are never all copied in memory at once
        java.util.List<String> leaving = store.idsIn(collection, b -> !next.owns(b));
        if (!leaving.isEmpty()) {
            failpoint("after-epoch");
        }
        for (String id : leaving) {
            StoredRow row = store.current(collection, id);
            if (row == null) {
                continue;
            }
            int owner = next.owner(Buckets.of(id));
            out.send(owner, TopicNames.vectorKey(collection, id), copyOf(row, next.epoch()), true);
            if (sent.merge(owner, 1L, Long::sum) == leaving.size() / 2) {
                failpoint("mid-copy");
            }
        }
        TreeSet<Integer> owners = new TreeSet<>();
        for (int b = 0; b < Buckets.COUNT; b++) {
            owners.add(next.owner(b));
        }
        owners.remove(self);
        for (int q : owners) {
            out.send(q, null, HandOffDone.newBuilder().setCollection(collection).setEpoch(next.epoch())
                    .setFromPartition(self).setToPartition(q).setRows(sent.getOrDefault(q, 0L)).build(), false);
        }
        store.saveRoutes(next.copied());
        long total = sent.values().stream().mapToLong(Long::longValue).sum();
        if (total > 0 || next.awaitsAnyPeer()) {
            LOG.info("partition {}: {} epoch {}: handed {} rows to partitions {}{}", self, collection, next.epoch(), total,
                    sent.keySet(), next.awaitsAnyPeer() ? "; taking over buckets" : "");
        }
    }

    /** Step 2: a previous owner has handed over everything. */
    public void onDone(HandOffDone done) {
        if (done.getToPartition() != self) {
            return;
        }
        BucketRoutes known = store.routes(done.getCollection());
        if (known != null && done.getEpoch() >= known.epoch()) {
            BucketRoutes settled = known.settledFrom(done.getFromPartition());
            if (known.awaitsAnyPeer()) {
                store.saveRoutes(settled);
            }
        }
        out.send(done.getFromPartition(), null, HandOffAck.newBuilder().setCollection(done.getCollection())
                .setEpoch(done.getEpoch()).setFromPartition(self).setToPartition(done.getFromPartition()).build(), false);
    }

    /** Step 3: the new owner holds what was handed to it. */
    public void onAck(HandOffAck ack) {
        if (ack.getToPartition() != self) {
            return;
        }
        BucketRoutes known = store.routes(ack.getCollection());
        if (known == null || ack.getEpoch() != known.epoch() || known.copiedEpoch() != known.epoch()) {
            return; // for an older epoch: the newer one's hand-off forgets them
        }
        int owner = ack.getFromPartition();
        if (failpoint != null && !store.idsIn(ack.getCollection(), b -> known.owner(b) == owner).isEmpty()) {
            failpoint("before-forget");
        }
        int forgotten = store.forget(ack.getCollection(), b -> known.owner(b) == owner);
        if (forgotten > 0) {
            LOG.info("partition {}: {} epoch {}: forgot {} rows now held by partition {}", self, ack.getCollection(),
                    known.epoch(), forgotten, owner);
        }
    }

    /** A stored state as the change that recreates it elsewhere, with its original LSN. */
    static VectorChange copyOf(StoredRow row, long epoch) {
        VectorChange.Builder change = VectorChange.newBuilder().setCollection(row.collection()).setId(row.id())
                .setLsn(row.lsn()).setSnapshot(row.snapshot()).setPartitionMapEpoch(epoch);
        switch (row) {
            case IndexedVector live -> {
                ByteBuffer bytes = ByteBuffer.allocate(live.vector().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(live.vector());
                Map<String, Object> metadata = new LinkedHashMap<>(live.metadata());
                change.setOp(ChangeOp.UPSERT).setTenant(live.tenant()).setVector(bytes).setMetadata(metadata)
                        .setCommitTimeMicros(0);
            }
            case Tombstone dead -> change.setOp(ChangeOp.DELETE).setMetadata(new HashMap<>())
                    .setCommitTimeMicros(dead.commitMillis() == Tombstone.UNKNOWN_COMMIT ? -1_000 : dead.commitMillis() * 1_000);
        }
        return change.build();
    }
}
