package io.ruvector.integrity.mincut.internal;

/**
 * Disjoint sets over {@code 0..n-1} with path halving and union by size, on primitive
 * arrays sized once and reused across contraction rounds. Single-threaded.
 */
public final class UnionFind {

    private final int[] parent;
    private final int[] size;
    private int unions;

    public UnionFind(int capacity) {
        parent = new int[capacity];
        size = new int[capacity];
    }

    /** Makes {@code 0..n-1} singletons again. */
    public void reset(int n) {
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            size[i] = 1;
        }
        unions = 0;
    }

    public int find(int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    /** Joins the sets of {@code a} and {@code b}; returns whether they were distinct. */
    public boolean union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra == rb) {
            return false;
        }
        if (size[ra] < size[rb]) {
            int t = ra;
            ra = rb;
            rb = t;
        }
        parent[rb] = ra;
        size[ra] += size[rb];
        unions++;
        return true;
    }

    /** Number of successful unions since the last reset. */
    public int unions() {
        return unions;
    }
}
