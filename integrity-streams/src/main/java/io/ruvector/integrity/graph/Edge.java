package io.ruvector.integrity.graph;

import java.util.Objects;

/**
 * One original (unmerged) edge of an {@link OperationalGraph}, as reported in min-cut
 * witnesses.
 *
 * @param index    position of the edge in {@link OperationalGraph#edges()}
 * @param source   node id of one endpoint
 * @param target   node id of the other endpoint (edges are undirected)
 * @param type     what the edge stands for
 * @param capacity capacity after clamping to [{@link OperationalGraph#MIN_CAPACITY}, 1]
 */
public record Edge(int index, int source, int target, EdgeType type, double capacity) {

    public Edge {
        Objects.requireNonNull(type, "type");
    }

    /** Whether exactly one endpoint lies in {@code side}, i.e. the edge crosses that cut. */
    public boolean crosses(java.util.BitSet side) {
        return side.get(source) != side.get(target);
    }
}
