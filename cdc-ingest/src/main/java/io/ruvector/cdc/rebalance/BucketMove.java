package io.ruvector.cdc.rebalance;

import io.ruvector.schemas.PartitionMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The next partition-map epoch of a rebalance step, computed from the current one: pure, so that
 * the choice of buckets is tested without a broker.
 *
 * @param next  the map to publish (epoch + 1, recording the map it replaces and the command)
 * @param moved buckets that change owner
 * @param owned buckets the source partition owned before
 */
public record BucketMove(PartitionMap next, int moved, int owned) {

    public BucketMove {
        Objects.requireNonNull(next, "next");
    }

    /** As {@link #of(PartitionMap, int, List, double, String)} with one receiving partition. */
    public static BucketMove of(PartitionMap current, int from, int to, double fraction, String commandId) {
        return of(current, from, List.of(to), fraction, commandId);
    }

    /**
     * Moves {@code fraction} of {@code from}'s buckets, every 1/fraction-th in bucket order (so the
     * moved share spreads evenly over the id space), dealt in turn to the partitions of {@code to}.
     *
     * @throws IllegalArgumentException when {@code from} owns no bucket, is among {@code to}, or the
     *                                  fraction is not in (0, 1]
     */
    public static BucketMove of(PartitionMap current, int from, List<Integer> to, double fraction, String commandId) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("move_fraction must be in (0, 1], was " + fraction);
        }
        if (to.isEmpty()) {
            throw new IllegalArgumentException("no partition to move buckets to");
        }
        if (to.contains(from)) {
            throw new IllegalArgumentException("from_partition " + from + " is also a receiving partition");
        }
        List<Integer> buckets = new ArrayList<>(current.getBuckets());
        int owned = 0;
        int moved = 0;
        for (int b = 0; b < buckets.size(); b++) {
            if (buckets.get(b) != from) {
                continue;
            }
            if (Math.floor((owned + 1) * fraction) > Math.floor(owned * fraction)) {
                buckets.set(b, to.get(moved % to.size()));
                moved++;
            }
            owned++;
        }
        if (owned == 0) {
            throw new IllegalArgumentException("partition " + from + " owns no bucket of " + current.getCollection()
                    + " at epoch " + current.getEpoch());
        }
        return new BucketMove(next(current, buckets, commandId), moved, owned);
    }

    /**
     * The map before {@code current}, as a new epoch, when {@code current} was published by
     * {@code rollbackOf}; empty otherwise (a later map superseded it, or it records no predecessor).
     */
    public static java.util.Optional<PartitionMap> undo(PartitionMap current, String rollbackOf, String commandId) {
        if (rollbackOf == null || !rollbackOf.equals(current.getCommandId()) || current.getPreviousBuckets() == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(next(current, new ArrayList<>(current.getPreviousBuckets()), commandId));
    }

    private static PartitionMap next(PartitionMap current, List<Integer> buckets, String commandId) {
        return PartitionMap.newBuilder().setCollection(current.getCollection()).setEpoch(current.getEpoch() + 1)
                .setBuckets(buckets).setPreviousBuckets(new ArrayList<>(current.getBuckets())).setCommandId(commandId)
                .build();
    }
}
