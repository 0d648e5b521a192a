package io.ruvector.index.query;

import io.ruvector.index.kernel.DistanceFunction;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * Brute-force top-k over a flat row-major {@code float[]} matrix: row {@code r} is
 * {@code matrix[r*dims .. (r+1)*dims)} and its ordinal is {@code r}. The distance is pgvector's
 * (see {@link DistanceFunction}), so the hits are what PostgreSQL returns for
 * {@code ORDER BY embedding <op> $1 LIMIT k} with index scans off, up to float summation order;
 * ties (which PostgreSQL leaves unspecified) are broken by ascending ordinal.
 *
 * <p>This is also the oracle that graph search recall is measured against.
 *
 * <p>Not thread-safe: an instance owns its {@link BoundedMaxHeap} scratch and reuses it across
 * searches, so the scan allocates nothing but the result. Use one instance per thread.
 */
public final class ExactSearch {

    private final DistanceFunction distance;
    private final BoundedMaxHeap heap = new BoundedMaxHeap(1);

    /** A searcher ranking by {@code distance} (e.g. {@code VectorDistances.forMetric(metric)}). */
    public ExactSearch(DistanceFunction distance) {
        this.distance = Objects.requireNonNull(distance, "distance");
    }

    /** The distance this searcher ranks by. */
    public DistanceFunction distance() {
        return distance;
    }

    /** The {@code k} rows nearest {@code query} among the first {@code count} rows of {@code matrix}. */
    public SearchResult search(float[] query, float[] matrix, int count, int k) {
        return scan(query, matrix, count, k, null);
    }

    /**
     * The {@code k} rows nearest {@code query} among the first {@code count} rows of {@code matrix}
     * whose ordinal {@code filter} accepts. The filter is tested before the distance is computed,
     * so rejected rows cost nothing but the call. Fewer than {@code k} hits when fewer rows pass.
     *
     * @param query  the query vector; its length is the dimension
     * @param matrix rows of {@code query.length} floats, back to back; may be longer than needed
     * @param count  rows to scan, {@code >= 0}
     * @param k      hits wanted, {@code >= 1}; larger than {@code count} just returns every row
     * @param filter accepts a row ordinal
     */
    public SearchResult search(float[] query, float[] matrix, int count, int k, IntPredicate filter) {
        return scan(query, matrix, count, k, Objects.requireNonNull(filter, "filter"));
    }

    private SearchResult scan(float[] query, float[] matrix, int count, int k, IntPredicate filter) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(matrix, "matrix");
        int dims = query.length;
        if (dims == 0) {
            throw new IllegalArgumentException("query vector must have at least 1 dimension");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if ((long) count * dims > matrix.length) {
            throw new IllegalArgumentException("matrix holds " + matrix.length / dims + " rows of " + dims
                    + " dimensions, fewer than count " + count);
        }
        // Bound the heap by count too: a huge k must not allocate a huge scratch array.
        heap.reset(Math.max(1, Math.min(k, count)));
        if (filter == null) {
            for (int row = 0, offset = 0; row < count; row++, offset += dims) {
                heap.offer(row, distance.distance(query, matrix, offset, dims));
            }
        } else {
            for (int row = 0, offset = 0; row < count; row++, offset += dims) {
                if (filter.test(row)) {
                    heap.offer(row, distance.distance(query, matrix, offset, dims));
                }
            }
        }
        return heap.drainSorted();
    }
}
