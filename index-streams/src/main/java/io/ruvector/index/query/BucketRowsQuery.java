package io.ruvector.index.query;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * IQv2 query: every state (live row or tombstone) the partition holds for ids of
 * {@code collection} in the routing {@code buckets}, each with its version and the live row's
 * {@link RowDigest}: what a consistency check lists where bucket digests differ. During a bucket
 * hand-off an id can be held by two partitions; {@link RowVersion#supersedes} picks the one that counts.
 */
public record BucketRowsQuery(String collection, Set<Integer> buckets) implements VectorIndexQuery<List<BucketRowsQuery.RowState>> {

    public BucketRowsQuery {
        Objects.requireNonNull(collection, "collection");
        buckets = Set.copyOf(Objects.requireNonNull(buckets, "buckets"));
    }

    /**
     * One id's state in one partition.
     *
     * @param digest the live row's {@link RowDigest}; 0 for a tombstone
     */
    public record RowState(String id, long lsn, boolean snapshot, boolean deleted, long digest) {

        public RowVersion version() {
            return new RowVersion(lsn, snapshot, deleted, null);
        }
    }
}
