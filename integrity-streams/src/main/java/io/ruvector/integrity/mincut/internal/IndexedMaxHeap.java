package io.ruvector.integrity.mincut.internal;

/**
 * A binary max-heap of node ids keyed by {@code double}, with increase-key, over primitive
 * arrays sized once. It drives the maximum-adjacency scans: every scanned edge raises one
 * key, so increase-key must not allocate. Single-threaded; {@link #reset(int)} reuses it.
 */
public final class IndexedMaxHeap {

    private static final int ABSENT = -1;
    private static final int REMOVED = -2;

    private final int[] heap;
    private final int[] position;
    private final double[] key;
    private int size;

    public IndexedMaxHeap(int capacity) {
        heap = new int[capacity];
        position = new int[capacity];
        key = new double[capacity];
    }

    /** Empties the heap and marks nodes {@code 0..n-1} as never inserted. */
    public void reset(int n) {
        size = 0;
        java.util.Arrays.fill(position, 0, n, ABSENT);
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Whether {@code node} has already been popped since the last reset. */
    public boolean isRemoved(int node) {
        return position[node] == REMOVED;
    }

    /** Inserts {@code node} with {@code newKey}, or raises its key; never lowers it. */
    public void offer(int node, double newKey) {
        int at = position[node];
        if (at == ABSENT) {
            at = size++;
            heap[at] = node;
            position[node] = at;
            key[node] = newKey;
        } else if (newKey > key[node]) {
            key[node] = newKey;
        } else {
            return;
        }
        siftUp(at);
    }

    /** Removes and returns the node of largest key; the heap must not be empty. */
    public int poll() {
        int top = heap[0];
        position[top] = REMOVED;
        int last = heap[--size];
        if (size > 0) {
            heap[0] = last;
            position[last] = 0;
            siftDown(0);
        }
        return top;
    }

    private void siftUp(int at) {
        int node = heap[at];
        double k = key[node];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            int p = heap[parent];
            if (key[p] >= k) {
                break;
            }
            heap[at] = p;
            position[p] = at;
            at = parent;
        }
        heap[at] = node;
        position[node] = at;
    }

    private void siftDown(int at) {
        int node = heap[at];
        double k = key[node];
        int half = size >>> 1;
        while (at < half) {
            int child = 2 * at + 1;
            int right = child + 1;
            if (right < size && key[heap[right]] > key[heap[child]]) {
                child = right;
            }
            int c = heap[child];
            if (k >= key[c]) {
                break;
            }
            heap[at] = c;
            position[c] = at;
            at = child;
        }
        heap[at] = node;
        position[node] = at;
    }
}
