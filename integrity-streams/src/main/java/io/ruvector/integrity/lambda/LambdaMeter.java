package io.ruvector.integrity.lambda;

import io.ruvector.integrity.graph.OperationalGraph;
import io.ruvector.integrity.mincut.FastMinCut;
import io.ruvector.integrity.mincut.FiedlerValue;
import io.ruvector.integrity.mincut.NormalisedLambda;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Measures a contracted graph: λ_cut with {@link FastMinCut} (exact; JGraphT's Stoer–Wagner is
 * its oracle in the tests), λ = λ_cut / λ_unit with the conventions of {@link NormalisedLambda}
 * (fewer than two nodes: λ = 1, nothing can be cut off; a split topology: λ = 0), the witness
 * edges of that cut, and optionally λ₂. Stateless and thread-safe.
 */
public final class LambdaMeter {

    private final FastMinCut minCut = new FastMinCut();
    private final LambdaSettings settings;

    public LambdaMeter(LambdaSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public IntegrityReading measure(OperationalGraph graph) {
        Objects.requireNonNull(graph, "graph");
        long t0 = System.nanoTime();
        NormalisedLambda lambda = NormalisedLambda.of(graph, minCut);
        OptionalDouble lambda2 = settings.lambda2Enabled() && graph.nodeCount() <= settings.lambda2MaxNodes()
                ? OptionalDouble.of(FiedlerValue.of(graph))
                : OptionalDouble.empty();
        long micros = (System.nanoTime() - t0) / 1_000;
        return new IntegrityReading(graph, lambda.lambda(), lambda.cutValue(), lambda.unitCutValue(), lambda2,
                lambda.cut().witnessEdges(), micros);
    }
}
