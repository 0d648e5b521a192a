package io.ruvector.index.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.query.RowVersion;
import io.ruvector.index.query.TransitMerge;
import io.ruvector.index.store.Changes;
import io.ruvector.index.store.GraphMaintenance;
import io.ruvector.index.store.TestStores;
import io.ruvector.index.store.VectorIndexStore;
import io.ruvector.index.telemetry.MaintenanceJobs;
import io.ruvector.schemas.HandOffAck;
import io.ruvector.schemas.HandOffDone;
import io.ruvector.schemas.RouteChange;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.route.Buckets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bucket hand-off between two real partition stores, one record at a time, in the order the
 * vectors topic delivers them, with the merge checked after every single step: each live id is
 * found exactly once with its newest vector, no deleted id is found, and lookups return the newest
 * state. Partition 0 starts with every row; epoch 1 gives the even buckets to partition 1. Changes
 * committed during the move (an update, a delete, a metadata change, an insert, and a change routed
 * by the stale epoch) race the copies.
 */
class HandOffProtocolTest {

    private static final String C = "docs";
    private static final int ROWS = 300;

    private final VectorIndexStore[] stores = new VectorIndexStore[2];
    private final List<Deque<Inbound>> inboxes = List.of(new ArrayDeque<>(), new ArrayDeque<>());
    private final HandOffCoordinator[] coordinators = new HandOffCoordinator[2];
    /** id → vector of the table now (absent = deleted or never written). */
    private final Map<String, float[]> table = new TreeMap<>();
    private int steps;
    /** Changes in flight: LSN → the id's vector once applied (null for a delete). */
    private final Map<Long, float[]> pending = new HashMap<>();

    record Inbound(SpecificRecord value, boolean copy) {
    }

    @BeforeEach
    void openStores() {
        for (int p = 0; p < 2; p++) {
            stores[p] = TestStores.open(TestStores.inner("p" + p), HnswSettings.DEFAULT, GraphMaintenance.manual(),
                    new MaintenanceJobs());
            int self = p;
            coordinators[p] = new HandOffCoordinator(stores[p], self,
                    (partition, key, value, copy) -> inboxes.get(partition).add(new Inbound(value, copy)));
        }
        for (int i = 0; i < ROWS; i++) {
            float[] v = {i, (i * 7) % 13};
            stores[0].apply(Changes.upsert(C, "id" + i, 100 + i, v));
            table.put("id" + i, v);
        }
    }

    @Test
    void shouldAnswerEveryIdOnceWithItsNewestStateAtEveryStepOfTheHandOff() throws Exception {
        List<Integer> before = Collections.nCopies(Buckets.COUNT, 0);
        List<Integer> after = new ArrayList<>();
        for (int b = 0; b < Buckets.COUNT; b++) {
            after.add(b % 2 == 0 ? 1 : 0);
        }
        RouteChange epoch1 = RouteChange.newBuilder().setCollection(C).setEpoch(1).setBuckets(after)
                .setPreviousBuckets(before).setSource("test").setEmittedAtMillis(0).build();
        List<String> moved = table.keySet().stream().filter(id -> Buckets.of(id) % 2 == 0).toList();
        assertThat(moved).hasSizeGreaterThan(100);

        // The capture announces to both partitions; partition 0 processes its copy first and hands out.
        inboxes.get(0).add(new Inbound(epoch1, false));
        inboxes.get(1).add(new Inbound(epoch1, false));
        assertThat(stores[0].stats(C).handOff()).as("no hand-off before the announcement").isFalse();
        deliver(0);
        assertThat(inboxes.get(1)).hasSize(1 + moved.size() + 1); // the announcement, the copies, done
        assertThat(stores[0].stats(C).handOff()).as("the old owner still holds the rows it handed out").isTrue();
        deliver(1); // partition 1 takes over the even buckets
        assertThat(stores[1].stats(C).handOff()).as("the new owner awaits the old one's done").isTrue();
        // Changes committed now, routed by epoch 1 to partition 1, overtake the copies still queued.
        String updated = moved.get(0);
        String deleted = moved.get(1);
        String relabelled = moved.get(2);
        change(1, Changes.upsert(C, updated, 5_000, 0.5f, 0.5f), new float[] {0.5f, 0.5f});
        change(1, Changes.delete(C, deleted, 5_001), null);
        change(1, Changes.metadata(C, relabelled, 5_002, Map.of("tag", "x")), table.get(relabelled));
        String inserted = firstIdInBucketOf(1, after, "new");
        change(1, Changes.upsert(C, inserted, 5_003, 9f, 9f), new float[] {9f, 9f});
        // A change routed by the stale epoch reaches the old owner: fenced and forwarded.
        String stale = moved.get(3);
        inboxes.get(0).add(new Inbound(Changes.upsert(C, stale, 5_004, 7.5f, 7.5f), false));
        pending.put(5_004L, new float[] {7.5f, 7.5f});
        deliver(0);
        assertThat(stores[0].routes(C).owns(Buckets.of(stale))).isFalse();
        assertThat(stores[0].current(C, stale).lsn()).as("not applied at the old owner")
                .isLessThan(5_004);

        // Partition 1 works through the copies (queued ahead of the overtaking changes in this run), done, then acks.
        while (!inboxes.get(1).isEmpty() || !inboxes.get(0).isEmpty()) {
            deliver(inboxes.get(1).isEmpty() ? 0 : 1);
        }
        assertThat(stores[0].count(C)).as("partition 0 forgot the moved rows").isEqualTo(ROWS - moved.size());
        assertThat(stores[0].stats(C).handOff()).as("settled: the old owner").isFalse();
        assertThat(stores[1].stats(C).handOff()).as("settled: the new owner").isFalse();
        assertThat(stores[0].idsIn(C, b -> b % 2 == 0)).isEmpty();
        assertThat(stores[1].routes(C).awaitsAnyPeer()).isFalse();
        assertThat(stores[1].versions(C, Set.of(deleted), false)).containsKey(deleted); // the tombstone moved with the rows
        assertThat(steps).isGreaterThan(moved.size());
        assertThat(pending).as("every change applied somewhere").isEmpty();
        assertThat(table.get(stale)).containsExactly(7.5f, 7.5f);
    }

    @Test
    void shouldHandTheRowsBackWhenTheNextEpochRestoresTheOldMap() throws Exception {
        List<Integer> all0 = Collections.nCopies(Buckets.COUNT, 0);
        List<Integer> split = new ArrayList<>();
        for (int b = 0; b < Buckets.COUNT; b++) {
            split.add(b % 2 == 0 ? 1 : 0);
        }
        RouteChange epoch1 = RouteChange.newBuilder().setCollection(C).setEpoch(1).setBuckets(split)
                .setPreviousBuckets(all0).setSource("test").setEmittedAtMillis(0).build();
        RouteChange epoch2 = RouteChange.newBuilder().setCollection(C).setEpoch(2).setBuckets(all0)
                .setPreviousBuckets(split).setSource("test").setEmittedAtMillis(0).build();
        inboxes.get(0).add(new Inbound(epoch1, false));
        inboxes.get(1).add(new Inbound(epoch1, false));
        deliver(0);
        deliver(1);
        deliver(1); // one copy applied; the rollback is announced before the hand-off finished
        inboxes.get(0).add(new Inbound(epoch2, false));
        inboxes.get(1).add(new Inbound(epoch2, false));
        while (!inboxes.get(1).isEmpty() || !inboxes.get(0).isEmpty()) {
            deliver(inboxes.get(0).isEmpty() ? 1 : 0);
            deliver(inboxes.get(1).isEmpty() ? 0 : 1);
        }
        assertThat(stores[0].count(C)).isEqualTo(ROWS);
        assertThat(stores[1].count(C)).as("everything handed back and forgotten").isZero();
        assertThat(stores[0].routes(C).epoch()).isEqualTo(2);
    }

    @Test
    void shouldIgnoreAReplayedAnnouncementAndAnOlderEpoch() throws Exception {
        List<Integer> split = new ArrayList<>();
        for (int b = 0; b < Buckets.COUNT; b++) {
            split.add(b % 2 == 0 ? 1 : 0);
        }
        RouteChange epoch1 = RouteChange.newBuilder().setCollection(C).setEpoch(1).setBuckets(split)
                .setPreviousBuckets(Collections.nCopies(Buckets.COUNT, 0)).setSource("test").setEmittedAtMillis(0).build();
        coordinators[0].onRouteChange(epoch1);
        int sent = inboxes.get(1).size();
        coordinators[0].onRouteChange(epoch1); // redelivered after a crash that came after the step finished
        RouteChange epoch0 = RouteChange.newBuilder(epoch1).setEpoch(0).setBuckets(Collections.nCopies(Buckets.COUNT, 1))
                .build();
        coordinators[0].onRouteChange(epoch0);
        assertThat(inboxes.get(1)).hasSize(sent);
        assertThat(stores[0].routes(C).epoch()).isEqualTo(1);
        assertThat(BucketRoutes.decode(stores[0].routes(C).encode()).copiedEpoch()).isEqualTo(1);
    }

    /**
     * A change committed now and routed to {@code partition}, overtaking what is queued there; the
     * expected state follows once it is applied (null vector = deleted).
     */
    private void change(int partition, VectorChange change, float[] vector) throws Exception {
        pending.put(change.getLsn(), vector);
        inboxes.get(partition).addFirst(new Inbound(change, false));
        deliver(partition);
    }

    /** Processes the next record of {@code partition}'s inbox as the processor does, then checks every id. */
    private void deliver(int partition) throws Exception {
        Inbound next = inboxes.get(partition).poll();
        if (next == null) {
            return;
        }
        HandOffCoordinator coordinator = coordinators[partition];
        switch (next.value()) {
            case VectorChange c -> {
                if (!coordinator.fence(c)) {
                    stores[partition].apply(c);
                    if (pending.containsKey(c.getLsn())) {
                        float[] vector = pending.remove(c.getLsn());
                        if (vector == null) {
                            table.remove(c.getId());
                        } else {
                            table.put(c.getId(), vector);
                        }
                    }
                }
            }
            case RouteChange r -> coordinator.onRouteChange(r);
            case HandOffDone d -> coordinator.onDone(d);
            case HandOffAck a -> coordinator.onAck(a);
            default -> throw new IllegalStateException(next.value().toString());
        }
        steps++;
        checkEveryId();
    }

    private void checkEveryId() throws Exception {
        for (Map.Entry<String, float[]> row : table.entrySet()) {
            KnnResult answer = search(row.getValue(), 3);
            List<String> ids = answer.ids();
            assertThat(new HashSet<>(ids)).as("step %d: ids unique in %s", steps, ids).hasSameSizeAs(ids);
            KnnHit first = answer.hits().getFirst();
            assertThat(first.distance()).as("step %d: %s found at distance 0", steps, row.getKey()).isZero();
            assertThat(ids).as("step %d: %s found", steps, row.getKey()).contains(row.getKey());
            RowVersion newest = TransitMerge.newest(versions(Set.of(row.getKey())).values(), row.getKey());
            assertThat(newest.deleted()).isFalse();
            assertThat(newest.row().vector()).as("step %d: lookup of %s", steps, row.getKey()).containsExactly(row.getValue());
        }
        Set<String> all = new HashSet<>(search(new float[] {0, 0}, 1_000).ids());
        assertThat(all).as("step %d: every answer is a live row", steps).isSubsetOf(table.keySet());
    }

    private KnnResult search(float[] query, int k) throws InterruptedException {
        KnnRequest request = KnnRequest.builder(C, query).k(k).exact(true).build();
        return TransitMerge.search(request, r -> {
            Map<Integer, KnnResult> partials = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                partials.put(p, stores[p].search(r));
            }
            return partials;
        }, this::versions);
    }

    private Map<Integer, Map<String, RowVersion>> versions(Set<String> ids) {
        Map<Integer, Map<String, RowVersion>> out = new HashMap<>();
        for (int p = 0; p < 2; p++) {
            out.put(p, stores[p].versions(C, ids, true));
        }
        return out;
    }

    private static String firstIdInBucketOf(int partition, List<Integer> owners, String prefix) {
        for (int i = 0; ; i++) {
            if (owners.get(Buckets.of(prefix + i)) == partition) {
                return prefix + i;
            }
        }
    }
}
