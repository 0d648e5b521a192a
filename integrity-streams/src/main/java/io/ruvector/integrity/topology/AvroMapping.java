package io.ruvector.integrity.topology;

import io.ruvector.integrity.gate.GateDecision;
import io.ruvector.integrity.gate.GateMatrix;
import io.ruvector.integrity.graph.Edge;
import io.ruvector.integrity.graph.NodeRef;
import io.ruvector.integrity.graph.OperationalGraph;
import io.ruvector.integrity.state.Hysteresis;
import io.ruvector.integrity.state.Transition;
import io.ruvector.schemas.GateAction;
import io.ruvector.schemas.GateRule;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.OperationalEdgeType;
import io.ruvector.schemas.RiskLevel;
import io.ruvector.schemas.StateTransition;
import io.ruvector.schemas.WitnessEdge;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Conversions between the integrity domain types and their Avro records. */
final class AvroMapping {

    private AvroMapping() {
    }

    /** The hysteresis memory kept in {@code state}. */
    static Hysteresis hysteresis(IntegrityState state) {
        return new Hysteresis(state.getState(), state.getSinceMillis(), state.getConsecutiveBelowHigh(),
                state.getConsecutiveAtOrBelowLow(), optional(state.getRecoveryHeldSinceMillis()),
                optional(state.getLastTransitionMillis()), OptionalLong.of(state.getLastSampleMillis()));
    }

    /**
     * The witness edges as the schema has them. Flow equals capacity: in a maximum flow between
     * the two sides every edge of a minimum cut is saturated.
     */
    static List<WitnessEdge> witnesses(OperationalGraph graph, List<Edge> edges) {
        List<WitnessEdge> out = new ArrayList<>(edges.size());
        for (Edge e : edges) {
            NodeRef source = graph.node(e.source());
            NodeRef target = graph.node(e.target());
            out.add(WitnessEdge.newBuilder()
                    .setSourceType(source.type()).setSourceId(source.id())
                    .setTargetType(target.type()).setTargetId(target.id())
                    .setEdgeType(OperationalEdgeType.valueOf(e.type().name()))
                    .setCapacity(e.capacity()).setFlow(e.capacity())
                    .build());
        }
        return out;
    }

    static StateTransition transition(Transition t) {
        return StateTransition.newBuilder().setFrom(t.from()).setTo(t.to()).setAtMillis(t.atMillis())
                .setLambda(t.lambda()).setCause(t.cause().name()).build();
    }

    /** The gate answer of each risk class in {@code state}. */
    static List<GateRule> gates(GateMatrix matrix, IntegrityLevel state) {
        List<GateRule> out = new ArrayList<>();
        for (RiskLevel risk : RiskLevel.values()) {
            GateRule.Builder rule = GateRule.newBuilder().setRisk(risk).setDeferMillis(0);
            switch (matrix.decide(state, risk)) {
                case GateDecision.Allow a -> rule.setAction(GateAction.ALLOW).setAdmitFraction(1.0);
                case GateDecision.Throttle t -> rule.setAction(GateAction.THROTTLE).setAdmitFraction(t.admitFraction());
                case GateDecision.Defer d -> rule.setAction(GateAction.DEFER).setAdmitFraction(0.0)
                        .setDeferMillis(d.retryAfter().toMillis());
                case GateDecision.Reject r -> rule.setAction(GateAction.REJECT).setAdmitFraction(0.0);
            }
            out.add(rule.build());
        }
        return out;
    }

    private static OptionalLong optional(Long value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    static Long nullable(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
