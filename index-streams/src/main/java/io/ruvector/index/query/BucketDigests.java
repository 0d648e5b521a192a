package io.ruvector.index.query;

import io.ruvector.schemas.route.Buckets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Per routing bucket ({@link Buckets#of}, {@value Buckets#COUNT} of them): how many live rows one
 * partition holds and the sum of their {@link RowDigest}s (wrapping). Two holders of the same rows
 * have equal digests; a bucket whose digest differs holds a difference.
 *
 * @param rows live rows per bucket
 * @param sums sum of the rows' fingerprints per bucket
 */
public record BucketDigests(int[] rows, long[] sums) {

    public BucketDigests {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(sums, "sums");
        if (rows.length != Buckets.COUNT || sums.length != Buckets.COUNT) {
            throw new IllegalArgumentException("bucket digests have " + Buckets.COUNT + " buckets, got " + rows.length
                    + " and " + sums.length);
        }
    }

    /** Empty digests, to add rows or other digests to. */
    public static BucketDigests empty() {
        return new BucketDigests(new int[Buckets.COUNT], new long[Buckets.COUNT]);
    }

    /** Counts {@code id} holding {@code vector}. */
    public void add(String id, float[] vector) {
        int bucket = Buckets.of(id);
        rows[bucket]++;
        sums[bucket] += RowDigest.of(id, vector);
    }

    /** Adds {@code other}'s rows and sums to these. */
    public void addAll(BucketDigests other) {
        for (int b = 0; b < Buckets.COUNT; b++) {
            rows[b] += other.rows[b];
            sums[b] += other.sums[b];
        }
    }

    /** Whether bucket {@code b} holds the same rows here and in {@code other}. */
    public boolean sameBucket(BucketDigests other, int b) {
        return rows[b] == other.rows[b] && sums[b] == other.sums[b];
    }

    public long totalRows() {
        return Arrays.stream(rows).asLongStream().sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BucketDigests d && Arrays.equals(rows, d.rows) && Arrays.equals(sums, d.sums);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rows) + Arrays.hashCode(sums);
    }

    @Override
    public String toString() {
        return "BucketDigests[" + totalRows() + " rows]";
    }
}
