package io.ruvector.integrity.mincut;

import io.ruvector.integrity.graph.OperationalGraph;
import org.jgrapht.alg.StoerWagnerMinimumCut;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;

/**
 * The reference answer: JGraphT's textbook {@link StoerWagnerMinimumCut} on the cut view
 * (parallel edges already summed) of an {@link OperationalGraph}. Slow — O(n·m log n) with
 * boxed vertices — and used only by tests and {@link MinCutBenchmark} to check
 * {@link FastMinCut}.
 */
public final class JGraphTOracle {

    private JGraphTOracle() {
    }

    /** The cut view as a JGraphT graph; vertices are the node ids. */
    public static SimpleWeightedGraph<Integer, DefaultWeightedEdge> toJGraphT(OperationalGraph graph) {
        SimpleWeightedGraph<Integer, DefaultWeightedEdge> g = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
        for (int v = 0; v < graph.nodeCount(); v++) {
            g.addVertex(v);
        }
        for (int v = 0; v < graph.nodeCount(); v++) {
            for (int k = graph.rowStart(v); k < graph.rowStart(v + 1); k++) {
                int u = graph.neighbour(k);
                if (u > v) {
                    g.setEdgeWeight(g.addEdge(v, u), graph.weight(k));
                }
            }
        }
        return g;
    }

    /** Minimum cut value of a graph of at least two nodes, as JGraphT computes it. */
    public static double minCutValue(SimpleWeightedGraph<Integer, DefaultWeightedEdge> graph) {
        return new StoerWagnerMinimumCut<>(graph).minCutWeight();
    }

    public static double minCutValue(OperationalGraph graph) {
        return minCutValue(toJGraphT(graph));
    }
}
