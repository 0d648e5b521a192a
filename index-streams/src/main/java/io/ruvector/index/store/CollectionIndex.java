package io.ruvector.index.store;

import io.ruvector.index.kernel.VectorDistances;
import io.ruvector.index.query.ExactSearch;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.SearchResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The search structures of one collection in one partition: a flat row-major {@code float[]}
 * matrix (what {@link ExactSearch} scans, and later what a graph index is built over), an
 * id → ordinal map, and per-ordinal columns. Deleted ordinals go on a free list and are reused
 * by the next insert, so the matrix does not grow with churn; arrays grow geometrically (×1.5)
 * so appends are amortised O(dims). A free ordinal has a null id and is skipped by the scan.
 *
 * <p>The dimension is fixed by the first vector; {@link PartitionIndex} refuses others.
 * Not thread-safe: {@link PartitionVectorIndexStore} guards it with its read/write lock.
 */
final class CollectionIndex {

    private static final int INITIAL_CAPACITY = 16;

    private final int dims;
    private float[] matrix;
    private String[] ids;
    private IndexedVector[] rows;
    private int[] free = new int[8];
    private int freeCount;
    private int highWater;
    private final Map<String, Integer> ordinals = new HashMap<>();

    CollectionIndex(int dims) {
        this.dims = dims;
        this.matrix = new float[INITIAL_CAPACITY * dims];
        this.ids = new String[INITIAL_CAPACITY];
        this.rows = new IndexedVector[INITIAL_CAPACITY];
    }

    int dims() {
        return dims;
    }

    int size() {
        return ordinals.size();
    }

    IndexedVector get(String id) {
        Integer ordinal = ordinals.get(id);
        return ordinal == null ? null : rows[ordinal];
    }

    /** Inserts or replaces the row with {@code row.id()}; the vector's length must be {@link #dims()}. */
    void put(IndexedVector row) {
        Integer existing = ordinals.get(row.id());
        int ordinal = existing != null ? existing : allocate();
        System.arraycopy(row.vector(), 0, matrix, ordinal * dims, dims);
        ids[ordinal] = row.id();
        rows[ordinal] = row;
        ordinals.put(row.id(), ordinal);
    }

    /** Removes {@code id}; its ordinal becomes free. */
    void remove(String id) {
        Integer ordinal = ordinals.remove(id);
        if (ordinal == null) {
            return;
        }
        ids[ordinal] = null;
        rows[ordinal] = null;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = ordinal;
    }

    /**
     * Exact top-k under the request's metric and filters, sorted by distance then id.
     *
     * @throws IllegalArgumentException when the query's dimension differs (pgvector's message):
     *     {@link ExactSearch} takes the query length as the row width and would silently misread
     */
    List<KnnHit> search(KnnRequest request) {
        if (request.vector().length != dims) {
            throw new IllegalArgumentException("different vector dimensions " + request.vector().length + " and " + dims
                    + " (collection " + request.collection() + ")");
        }
        if (ordinals.isEmpty()) {
            return List.of();
        }
        ExactSearch search = new ExactSearch(VectorDistances.forMetric(request.metric()));
        IntPredicate live = request.filtered()
                ? ordinal -> ids[ordinal] != null && request.accepts(rows[ordinal].tenant(), rows[ordinal].metadata())
                : ordinal -> ids[ordinal] != null;
        SearchResult result = search.search(request.vector(), matrix, highWater, request.k(), live);
        List<KnnHit> hits = new ArrayList<>(result.size());
        for (int i = 0; i < result.size(); i++) {
            IndexedVector row = rows[result.ordinal(i)];
            hits.add(new KnnHit(row.id(), result.distance(i), row.metadata()));
        }
        hits.sort(null); // ExactSearch breaks ties by ordinal; the contract is by id
        return hits;
    }

    private int allocate() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        if (highWater == ids.length) {
            int capacity = ids.length + (ids.length >> 1);
            matrix = Arrays.copyOf(matrix, capacity * dims);
            ids = Arrays.copyOf(ids, capacity);
            rows = Arrays.copyOf(rows, capacity);
        }
        return highWater++;
    }
}
