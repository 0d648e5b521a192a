package io.ruvector.integrity.mincut.internal;

import io.ruvector.integrity.graph.OperationalGraph;

/**
 * The shrinking multigraph a min-cut computation contracts: compressed sparse rows (both
 * directions, parallel edges always merged) over super-nodes {@code 0..size()-1}, plus the
 * super-node that currently holds each original node. Two row buffers are swapped on every
 * contraction, so a whole computation allocates only at construction. Single-threaded.
 */
public final class WorkGraph {

    private final int originalNodes;
    private final int[] label;      // original node -> current super-node
    private int n;
    private int[] rowStart;
    private int[] nbr;
    private double[] w;
    private int[] nextRowStart;
    private int[] nextNbr;
    private double[] nextW;
    private final int[] newId;      // old super-node -> new super-node during contract()
    private final int[] memberStart;
    private final int[] members;
    private final int[] slotOf;     // marker: where the current row stores a neighbour

    public WorkGraph(OperationalGraph graph) {
        originalNodes = graph.nodeCount();
        n = originalNodes;
        int slots = 2 * graph.mergedEdgeCount();
        rowStart = new int[n + 1];
        nbr = new int[slots];
        w = new double[slots];
        for (int v = 0; v <= n; v++) {
            rowStart[v] = graph.rowStart(v);
        }
        for (int k = 0; k < slots; k++) {
            nbr[k] = graph.neighbour(k);
            w[k] = graph.weight(k);
        }
        nextRowStart = new int[n + 1];
        nextNbr = new int[slots];
        nextW = new double[slots];
        label = new int[n];
        for (int i = 0; i < n; i++) {
            label[i] = i;
        }
        newId = new int[n];
        memberStart = new int[n + 1];
        members = new int[n];
        slotOf = new int[n];
    }

    public int size() {
        return n;
    }

    public int rowStart(int v) {
        return rowStart[v];
    }

    public int neighbour(int slot) {
        return nbr[slot];
    }

    public double weight(int slot) {
        return w[slot];
    }

    /** The super-node that holds original node {@code original}. */
    public int label(int original) {
        return label[original];
    }

    public int originalNodes() {
        return originalNodes;
    }

    /** Fills {@code degree[0..size()-1]} with weighted degrees (the trivial cuts). */
    public void degrees(double[] degree) {
        for (int v = 0; v < n; v++) {
            double d = 0.0;
            for (int k = rowStart[v]; k < rowStart[v + 1]; k++) {
                d += w[k];
            }
            degree[v] = d;
        }
    }

    /**
     * Replaces every set of {@code sets} by one super-node, sums the edges that become
     * parallel and drops those that become loops (they can never cross a cut again).
     */
    public void contract(UnionFind sets) {
        int k = 0;
        for (int v = 0; v < n; v++) {
            if (sets.find(v) == v) {
                newId[v] = k++;
            }
        }
        // Counting sort of the old super-nodes by new id: members of a are
        // members[memberStart[a] .. memberStart[a + 1]).
        java.util.Arrays.fill(memberStart, 0, k + 1, 0);
        for (int v = 0; v < n; v++) {
            newId[v] = newId[sets.find(v)]; // a root's own id never changes, so order is irrelevant
            memberStart[newId[v] + 1]++;
        }
        for (int a = 0; a < k; a++) {
            memberStart[a + 1] += memberStart[a];
            slotOf[a] = memberStart[a]; // slotOf doubles as the fill cursor before buildRows
        }
        for (int v = 0; v < n; v++) {
            members[slotOf[newId[v]]++] = v;
        }
        buildRows(k);
        for (int i = 0; i < originalNodes; i++) {
            label[i] = newId[label[i]];
        }
        n = k;
    }

    private void buildRows(int k) {
        java.util.Arrays.fill(slotOf, 0, k, -1);
        int out = 0;
        for (int a = 0; a < k; a++) {
            nextRowStart[a] = out;
            for (int m = memberStart[a]; m < memberStart[a + 1]; m++) {
                int v = members[m];
                for (int s = rowStart[v]; s < rowStart[v + 1]; s++) {
                    int b = newId[nbr[s]];
                    if (b == a) {
                        continue;
                    }
                    if (slotOf[b] >= nextRowStart[a]) {
                        nextW[slotOf[b]] += w[s];
                    } else {
                        slotOf[b] = out;
                        nextNbr[out] = b;
                        nextW[out++] = w[s];
                    }
                }
            }
        }
        nextRowStart[k] = out;
        int[] ti = rowStart; rowStart = nextRowStart; nextRowStart = ti;
        ti = nbr; nbr = nextNbr; nextNbr = ti;
        double[] td = w; w = nextW; nextW = td;
    }
}
