package io.ruvector.cdc.rebalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.PartitionMap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketMoveTest {

    private static PartitionMap roundRobin(int partitions) {
        List<Integer> buckets = new ArrayList<>();
        for (int b = 0; b < 4096; b++) {
            buckets.add(b % partitions);
        }
        return PartitionMap.newBuilder().setCollection("docs").setEpoch(3).setBuckets(buckets).build();
    }

    @Test
    void shouldMoveTheGivenShareOfTheHotPartitionsBucketsEvenlyAndNothingElse() {
        PartitionMap current = roundRobin(4);

        BucketMove move = BucketMove.of(current, 2, 0, 0.25, "c1");

        assertThat(move.owned()).isEqualTo(1024);
        assertThat(move.moved()).isEqualTo(256);
        PartitionMap next = move.next();
        assertThat(next.getEpoch()).isEqualTo(4);
        assertThat(next.getCommandId()).isEqualTo("c1");
        assertThat(next.getPreviousBuckets()).isEqualTo(current.getBuckets());
        List<Integer> movedBuckets = new ArrayList<>();
        for (int b = 0; b < 4096; b++) {
            int before = current.getBuckets().get(b);
            int after = next.getBuckets().get(b);
            if (before != after) {
                assertThat(before).isEqualTo(2);
                assertThat(after).isEqualTo(0);
                movedBuckets.add(b);
            }
        }
        assertThat(movedBuckets).hasSize(256);
        // spread over the id space: one in four of partition 2's buckets, not the first 256
        assertThat(movedBuckets.getLast() - movedBuckets.getFirst()).isGreaterThan(3_500);
    }

    @Test
    void shouldDealTheMovedBucketsInTurnToEveryReceivingPartition() {
        BucketMove move = BucketMove.of(roundRobin(4), 0, List.of(1, 2, 3), 0.75, "c1");

        assertThat(move.moved()).isEqualTo(768);
        int[] received = new int[4];
        for (int b = 0; b < 4096; b++) {
            if (b % 4 == 0) {
                received[move.next().getBuckets().get(b)]++;
            }
        }
        assertThat(received).containsExactly(256, 256, 256, 256);
    }

    @Test
    void shouldRestoreThePreviousMapAsANewEpochOnlyForTheCommandThatPublishedIt() {
        PartitionMap moved = BucketMove.of(roundRobin(4), 1, 3, 0.5, "c1").next();

        PartitionMap undone = BucketMove.undo(moved, "c1", "r1").orElseThrow();

        assertThat(undone.getEpoch()).isEqualTo(5);
        assertThat(undone.getBuckets()).isEqualTo(roundRobin(4).getBuckets());
        assertThat(undone.getCommandId()).isEqualTo("r1");
        assertThat(BucketMove.undo(moved, "other", "r2")).isEmpty();
        assertThat(BucketMove.undo(undone, "c1", "r3")).as("superseded by the rollback").isEmpty();
    }

    @Test
    void shouldRefuseAMoveThatCannotBeMade() {
        PartitionMap two = roundRobin(2);
        assertThatThrownBy(() -> BucketMove.of(two, 3, 0, 0.5, "c")).hasMessageContaining("owns no bucket");
        assertThatThrownBy(() -> BucketMove.of(two, 1, 1, 0.5, "c")).hasMessageContaining("also a receiving");
        assertThatThrownBy(() -> BucketMove.of(two, 1, 0, 0, "c")).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> BucketMove.of(two, 1, 0, 1.5, "c")).hasMessageContaining("(0, 1]");
    }
}
