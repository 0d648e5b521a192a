package io.ruvector.integrity.mincut;

import io.ruvector.integrity.graph.OperationalGraph;
import java.util.Objects;

/**
 * The scale-free integrity signal λ = λ_cut / λ_unit ∈ [0, 1], where λ_cut is the minimum
 * cut of the graph and λ_unit the minimum cut of the same topology with every original edge
 * at capacity 1.0 (parallel edges still summed).
 *
 * <p>Why λ ≤ 1: let S be a minimum cut of the unit graph. Every capacity is ≤ 1, so
 * λ_cut ≤ cap(S) ≤ unit(S) = λ_unit. Why λ &gt; 0 on a connected graph: every capacity is
 * ≥ 0.01.
 *
 * <p>Edge cases, chosen for a sensor whose low values mean danger:
 * <ul>
 *   <li>disconnected topology (two or more nodes, λ_unit = 0): <b>λ = 0</b> — the
 *       operational graph is already split, the worst integrity there is;</li>
 *   <li>fewer than two nodes: <b>λ = 1</b> — there is nothing that could be separated.</li>
 * </ul>
 *
 * @param lambda       the normalised value in [0, 1]
 * @param cut          the minimum cut of the graph itself (its value is λ_cut)
 * @param unitCutValue λ_unit
 */
public record NormalisedLambda(double lambda, MinCut cut, double unitCutValue) {

    public NormalisedLambda {
        Objects.requireNonNull(cut, "cut");
    }

    /** Computes λ with {@code minCut} on the graph and on its unit-capacity twin. */
    public static NormalisedLambda of(OperationalGraph graph, FastMinCut minCut) {
        Objects.requireNonNull(graph, "graph");
        MinCut cut = minCut.compute(graph);
        if (graph.nodeCount() < 2) {
            return new NormalisedLambda(1.0, cut, 0.0);
        }
        double unit = minCut.compute(graph.withUnitCapacities()).value();
        if (unit <= 0.0) {
            return new NormalisedLambda(0.0, cut, 0.0);
        }
        // The min() only absorbs rounding: mathematically cut.value() <= unit.
        return new NormalisedLambda(Math.min(1.0, cut.value() / unit), cut, unit);
    }

    /** λ_cut, the raw minimum-cut value. */
    public double cutValue() {
        return cut.value();
    }
}
