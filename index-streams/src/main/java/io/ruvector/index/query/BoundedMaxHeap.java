package io.ruvector.index.query;

/**
 * The k best (smallest-distance) ordinals seen so far, as a binary max-heap on two parallel
 * primitive arrays: the root is the worst kept hit, so a candidate costs one comparison when it
 * loses and O(log k) when it replaces the root. No boxing, no allocation after {@link #reset}
 * has grown the arrays to the largest k used.
 *
 * <p>Order is the total order of {@link SearchResult}: distance ascending ({@code -0.0 == 0.0}),
 * NaN after every number, then ordinal ascending, so results are deterministic under ties.
 *
 * <p>Not thread-safe: scratch owned by one searcher on one thread, reused across searches.
 */
public final class BoundedMaxHeap {

    private double[] distances;
    private int[] ordinals;
    private int capacity;
    private int size;

    /** A heap that keeps at most {@code k} hits; grows on a later {@link #reset} to a larger k. */
    public BoundedMaxHeap(int k) {
        distances = new double[0];
        ordinals = new int[0];
        reset(k);
    }

    /** Empties the heap and sets its bound to {@code k} (at least 1). */
    public void reset(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        if (distances.length < k) {
            distances = new double[k];
            ordinals = new int[k];
        }
        capacity = k;
        size = 0;
    }

    /** Hits kept. */
    public int size() {
        return size;
    }

    /** True once k hits are kept: from then on a candidate must beat {@link #worstDistance()}. */
    public boolean isFull() {
        return size == capacity;
    }

    /** Distance of the worst kept hit; only meaningful when {@link #size()} {@code > 0}. */
    public double worstDistance() {
        return distances[0];
    }

    /** Offers a hit; returns whether it was kept. */
    public boolean offer(int ordinal, double distance) {
        if (size < capacity) {
            int i = size++;
            // Sift up: pull parents that come before the new hit down into its slot.
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!before(distances[parent], ordinals[parent], distance, ordinal)) {
                    break;
                }
                distances[i] = distances[parent];
                ordinals[i] = ordinals[parent];
                i = parent;
            }
            distances[i] = distance;
            ordinals[i] = ordinal;
            return true;
        }
        if (!before(distance, ordinal, distances[0], ordinals[0])) {
            return false;
        }
        siftDown(distance, ordinal, size);
        return true;
    }

    /** Drains the heap into a sorted result (ascending); the heap is empty afterwards. */
    public SearchResult drainSorted() {
        int n = size;
        // In-place heap sort: move the root (worst) to the end, shrink, restore the heap.
        for (int end = n - 1; end > 0; end--) {
            double worstDist = distances[0];
            int worstOrd = ordinals[0];
            siftDown(distances[end], ordinals[end], end);
            distances[end] = worstDist;
            ordinals[end] = worstOrd;
        }
        size = 0;
        if (n == 0) {
            return SearchResult.EMPTY;
        }
        int[] outOrdinals = new int[n];
        double[] outDistances = new double[n];
        System.arraycopy(ordinals, 0, outOrdinals, 0, n);
        System.arraycopy(distances, 0, outDistances, 0, n);
        return new SearchResult(outOrdinals, outDistances);
    }

    /** Places (distance, ordinal) at the root of heap[0..limit) and sifts it down. */
    private void siftDown(double distance, int ordinal, int limit) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= limit) {
                break;
            }
            int right = child + 1;
            if (right < limit && before(distances[child], ordinals[child], distances[right], ordinals[right])) {
                child = right;
            }
            if (!before(distance, ordinal, distances[child], ordinals[child])) {
                break;
            }
            distances[i] = distances[child];
            ordinals[i] = ordinals[child];
            i = child;
        }
        distances[i] = distance;
        ordinals[i] = ordinal;
    }

    /**
     * Whether hit (d1, o1) sorts strictly before (d2, o2). Primitive comparisons, not
     * {@code Double.compare}, so that {@code -0.0} ties with {@code 0.0} like in PostgreSQL.
     */
    static boolean before(double d1, int o1, double d2, int o2) {
        if (d1 < d2) {
            return true;
        }
        if (d1 > d2) {
            return false;
        }
        boolean nan1 = d1 != d1;
        boolean nan2 = d2 != d2;
        if (nan1 != nan2) {
            return nan2;
        }
        return o1 < o2;
    }
}
