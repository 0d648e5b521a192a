package io.ruvector.integrity.topology;

import io.ruvector.integrity.contract.ContractedGraph;
import io.ruvector.integrity.lambda.IntegrityReading;
import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.IntegrityState;
import java.util.List;
import java.util.Objects;

/**
 * The result of evaluating one scope once.
 *
 * @param state   the new state record
 * @param events  the events to publish, unsigned, in order (POLICY_UPDATE, SAMPLE, STATE_CHANGE)
 * @param graph   the contracted graph that was cut
 * @param reading its λ measurement
 */
public record Evaluation(IntegrityState state, List<IntegrityEvent> events, ContractedGraph graph,
                         IntegrityReading reading) {

    public Evaluation {
        Objects.requireNonNull(state, "state");
        events = List.copyOf(events);
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(reading, "reading");
    }
}
