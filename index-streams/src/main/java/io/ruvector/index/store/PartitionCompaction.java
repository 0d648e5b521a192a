package io.ruvector.index.store;

/**
 * What one partition's compaction ({@link VectorIndexStore#compact}) did.
 *
 * @param partition         the partition
 * @param removedNodes      deleted graph nodes unlinked
 * @param purgedTombstones  tombstones forgotten (and deleted from the changelogged store)
 * @param keptTombstones    tombstones of the collection still kept (within retention, ahead of the
 *                          watermark, or of unknown age)
 * @param slices            times the write lock was taken
 * @param longestSliceMillis longest single hold of the write lock; a graph's node removal is one
 *                          jvector call and cannot be split, so it may exceed the slice budget
 */
public record PartitionCompaction(int partition, int removedNodes, int purgedTombstones, int keptTombstones,
                                  int slices, long longestSliceMillis) {
}
