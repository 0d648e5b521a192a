package io.ruvector.integrity.lambda;

import io.ruvector.integrity.graph.Edge;
import io.ruvector.integrity.graph.OperationalGraph;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One measurement of a contracted graph.
 *
 * @param graph         the graph measured
 * @param lambda        normalised λ = λ_cut / λ_unit in [0, 1] (1 for fewer than two nodes, 0 for a split topology)
 * @param lambdaCut     λ_cut, the minimum-cut value
 * @param unitCut       λ_unit, the minimum cut of the same topology at unit capacities
 * @param lambda2       the Fiedler value, empty when disabled or skipped for size
 * @param witnessEdges  the original edges crossing the minimum cut
 * @param computeMicros wall time of cut, unit cut and λ₂ together
 */
public record IntegrityReading(OperationalGraph graph, double lambda, double lambdaCut, double unitCut,
                               OptionalDouble lambda2, List<Edge> witnessEdges, long computeMicros) {

    public IntegrityReading {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(lambda2, "lambda2");
        witnessEdges = List.copyOf(witnessEdges);
    }
}
