package io.ruvector.integrity.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The small undirected weighted graph of operational entities that the integrity sensor
 * cuts (ARCHITECTURE.md §4). Immutable once built, hence safe to share between threads.
 *
 * <p>Two views of the same edges are kept:
 * <ul>
 *   <li>the <em>original</em> edges ({@link #edges()}), with their type and clamped
 *       capacity, which are what a min-cut witness reports;</li>
 *   <li>the <em>cut</em> view: parallel edges summed into one, stored as compressed sparse
 *       rows (both directions), which is what min-cut algorithms read through
 *       {@link #rowStart(int)}, {@link #neighbour(int)} and {@link #weight(int)}.</li>
 * </ul>
 * Node ids are dense, {@code 0..nodeCount()-1}, in insertion order.
 */
public final class OperationalGraph {

    /** Lower clamp of every capacity: a live edge never vanishes from the topology. */
    public static final double MIN_CAPACITY = 0.01;
    /** Upper clamp of every capacity. */
    public static final double MAX_CAPACITY = 1.0;

    private final NodeRef[] nodes;
    private final Map<NodeRef, Integer> ids;
    private final Edge[] edges;
    private final List<Edge> edgeList;
    private final int[] rowStart;   // length n + 1
    private final int[] neighbours; // length 2 * mergedEdgeCount
    private final double[] weights; // summed capacity of all parallel edges, same indexing

    private OperationalGraph(NodeRef[] nodes, Map<NodeRef, Integer> ids, Edge[] edges) {
        this.nodes = nodes;
        this.ids = ids;
        this.edges = edges;
        this.edgeList = List.of(edges);
        int n = nodes.length;
        int[] degree = new int[n + 1];
        for (Edge e : edges) {
            degree[e.source()]++;
            degree[e.target()]++;
        }
        // Bucket both directions of every original edge by source node...
        int[] start = new int[n + 1];
        for (int v = 0; v < n; v++) {
            start[v + 1] = start[v] + degree[v];
        }
        int[] fill = Arrays.copyOf(start, n);
        int[] rawNbr = new int[start[n]];
        double[] rawW = new double[start[n]];
        for (Edge e : edges) {
            rawNbr[fill[e.source()]] = e.target();
            rawW[fill[e.source()]++] = e.capacity();
            rawNbr[fill[e.target()]] = e.source();
            rawW[fill[e.target()]++] = e.capacity();
        }
        // ...then sum parallel edges per row in place, using slotOf[neighbour] as a marker.
        int[] slotOf = new int[n];
        Arrays.fill(slotOf, -1);
        int[] rows = new int[n + 1];
        int out = 0;
        for (int v = 0; v < n; v++) {
            rows[v] = out;
            for (int k = start[v]; k < start[v + 1]; k++) {
                int u = rawNbr[k];
                if (slotOf[u] >= rows[v]) {
                    rawW[slotOf[u]] += rawW[k];
                } else {
                    slotOf[u] = out;
                    rawNbr[out] = u;
                    rawW[out++] = rawW[k];
                }
            }
        }
        rows[n] = out;
        this.rowStart = rows;
        this.neighbours = Arrays.copyOf(rawNbr, out);
        this.weights = Arrays.copyOf(rawW, out);
    }

    public static Builder builder() {
        return new Builder();
    }

    public int nodeCount() {
        return nodes.length;
    }

    public NodeRef node(int id) {
        return nodes[id];
    }

    /** The id of {@code ref}, or -1 when the graph has no such node. */
    public int indexOf(NodeRef ref) {
        Integer id = ids.get(ref);
        return id == null ? -1 : id;
    }

    /** Number of original edges (parallel edges counted separately). */
    public int edgeCount() {
        return edges.length;
    }

    public Edge edge(int index) {
        return edges[index];
    }

    public List<Edge> edges() {
        return edgeList;
    }

    /** Number of distinct node pairs joined by at least one edge. */
    public int mergedEdgeCount() {
        return neighbours.length / 2;
    }

    /** First CSR slot of {@code node}'s row in the cut view; the row ends at {@code rowStart(node + 1)}. */
    public int rowStart(int node) {
        return rowStart[node];
    }

    public int neighbour(int slot) {
        return neighbours[slot];
    }

    /** Summed capacity of all original edges between the row's node and {@link #neighbour(int)}. */
    public double weight(int slot) {
        return weights[slot];
    }

    /** The same nodes and edges with every capacity 1.0: the yardstick of the normalised λ. */
    public OperationalGraph withUnitCapacities() {
        Edge[] unit = new Edge[edges.length];
        for (int i = 0; i < edges.length; i++) {
            Edge e = edges[i];
            unit[i] = new Edge(i, e.source(), e.target(), e.type(), MAX_CAPACITY);
        }
        return new OperationalGraph(nodes, ids, unit);
    }

    /** Collects nodes and edges; not thread-safe. */
    public static final class Builder {
        private final List<NodeRef> nodes = new ArrayList<>();
        private final Map<NodeRef, Integer> ids = new HashMap<>();
        private final List<Edge> edges = new ArrayList<>();

        private Builder() {
        }

        /** Adds {@code ref} unless present; returns its id either way. */
        public int addNode(NodeRef ref) {
            Objects.requireNonNull(ref, "ref");
            Integer known = ids.get(ref);
            if (known != null) {
                return known;
            }
            nodes.add(ref);
            ids.put(ref, nodes.size() - 1);
            return nodes.size() - 1;
        }

        public int addNode(String type, String id) {
            return addNode(new NodeRef(type, id));
        }

        /** Nodes added so far. */
        public int nodeCount() {
            return nodes.size();
        }

        /**
         * Adds an undirected edge; the capacity is clamped to [0.01, 1]. Parallel edges are
         * kept (each is a witness of its own) and summed in the cut view.
         *
         * @throws IllegalArgumentException for an unknown node, a self-loop or a NaN capacity
         */
        public Builder addEdge(int source, int target, EdgeType type, double capacity) {
            Objects.requireNonNull(type, "type");
            if (source < 0 || source >= nodes.size() || target < 0 || target >= nodes.size()) {
                throw new IllegalArgumentException("edge " + source + "-" + target
                        + " names a node outside 0.." + (nodes.size() - 1));
            }
            if (source == target) {
                throw new IllegalArgumentException("self-loop on " + nodes.get(source) + " can never cross a cut");
            }
            if (Double.isNaN(capacity)) {
                throw new IllegalArgumentException("NaN capacity on " + type + " edge "
                        + nodes.get(source) + " - " + nodes.get(target));
            }
            double clamped = Math.max(MIN_CAPACITY, Math.min(MAX_CAPACITY, capacity));
            edges.add(new Edge(edges.size(), source, target, type, clamped));
            return this;
        }

        public Builder addEdge(NodeRef source, NodeRef target, EdgeType type, double capacity) {
            return addEdge(addNode(source), addNode(target), type, capacity);
        }

        public OperationalGraph build() {
            return new OperationalGraph(nodes.toArray(NodeRef[]::new), Map.copyOf(ids), edges.toArray(Edge[]::new));
        }
    }
}
