package io.ruvector.integrity.mincut;

import io.ruvector.integrity.graph.Edge;
import io.ruvector.integrity.graph.OperationalGraph;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * A global cut of an {@link OperationalGraph}: the node set {@code side}, its complement,
 * and the original edges between them.
 *
 * <p>Convention: {@code side} never contains node 0. For a graph of two or more nodes it is
 * a non-empty proper subset; for a graph of zero or one node no proper cut exists and the
 * result is value 0 with an empty side and no witnesses. For a disconnected graph the value
 * is 0 and the side is every node outside node 0's component.
 *
 * @param value        total capacity of the crossing edges
 * @param side         nodes on the far side from node 0 (defensively copied both ways)
 * @param witnessEdges the original edges crossing the cut, in edge-index order
 */
public record MinCut(double value, BitSet side, List<Edge> witnessEdges) {

    public MinCut {
        Objects.requireNonNull(side, "side");
        side = (BitSet) side.clone();
        witnessEdges = List.copyOf(witnessEdges);
    }

    /**
     * The cut of {@code graph} defined by {@code side}, flipped if needed so that it does not
     * contain node 0; the value is recomputed from the original edges.
     */
    public static MinCut of(OperationalGraph graph, BitSet side) {
        BitSet normalised = (BitSet) side.clone();
        int n = graph.nodeCount();
        normalised.clear(n, Math.max(n, normalised.length()));
        if (n > 0 && normalised.get(0)) {
            normalised.flip(0, n);
        }
        List<Edge> crossing = new ArrayList<>();
        double value = 0.0;
        for (int i = 0; i < graph.edgeCount(); i++) {
            Edge e = graph.edge(i);
            if (e.crosses(normalised)) {
                crossing.add(e);
                value += e.capacity();
            }
        }
        return new MinCut(value, normalised, crossing);
    }

    @Override
    public BitSet side() {
        return (BitSet) side.clone();
    }

    /** Whether {@code node} lies on {@link #side()} (never true for node 0). */
    public boolean onSide(int node) {
        return side.get(node);
    }

    /** Number of nodes on {@link #side()}. */
    public int sideSize() {
        return side.cardinality();
    }
}
