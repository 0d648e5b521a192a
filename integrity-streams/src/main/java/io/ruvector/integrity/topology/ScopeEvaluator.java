package io.ruvector.integrity.topology;

import io.ruvector.integrity.contract.Baseline;
import io.ruvector.integrity.contract.ContractedGraph;
import io.ruvector.integrity.contract.ContractedGraphBuilder;
import io.ruvector.integrity.contract.PartitionHealth;
import io.ruvector.integrity.contract.Telemetry;
import io.ruvector.integrity.gate.Operation;
import io.ruvector.integrity.lambda.IntegrityReading;
import io.ruvector.integrity.lambda.LambdaMeter;
import io.ruvector.integrity.state.Hysteresis;
import io.ruvector.integrity.state.HysteresisMachine;
import io.ruvector.integrity.state.Transition;
import io.ruvector.schemas.EffectiveIntegrityPolicy;
import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.IntegrityEventType;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.StateTransition;
import io.ruvector.schemas.WitnessEdge;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One evaluation of one scope, without Kafka: merge the samples, build the contracted graph,
 * measure λ, step the hysteresis, and describe the outcome as the next {@link IntegrityState}
 * and the events to publish. Deterministic apart from the measured compute time. Thread-safe.
 */
public final class ScopeEvaluator {

    private final IntegritySettings settings;
    private final LambdaMeter meter;

    public ScopeEvaluator(IntegritySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.meter = new LambdaMeter(settings.lambda());
    }

    /**
     * @param scope    what is evaluated
     * @param samples  the fresh samples that describe it (at least one)
     * @param atMillis sample time of the evaluation
     * @param previous the scope's state record, or null for a scope never evaluated
     * @param policy   the policy in force
     */
    public Evaluation evaluate(Scope scope, List<IntegritySample> samples, long atMillis, IntegrityState previous,
                               ResolvedPolicy policy) {
        return evaluate(scope, samples, atMillis, previous, policy, null);
    }

    /**
     * As {@link #evaluate(Scope, List, long, IntegrityState, ResolvedPolicy)}, scoring centroids
     * and row distribution against {@code baseline} (null: against perfect balance).
     */
    public Evaluation evaluate(Scope scope, List<IntegritySample> samples, long atMillis, IntegrityState previous,
                               ResolvedPolicy policy, Baseline baseline) {
        ContractedGraph contracted = new ContractedGraphBuilder(policy.budgets())
                .build(Telemetry.merge(samples), baseline);
        IntegrityReading reading = meter.measure(contracted.graph());
        Hysteresis memory = previous == null ? Hysteresis.initial(atMillis) : AvroMapping.hysteresis(previous);
        HysteresisMachine.Step step = HysteresisMachine.step(memory, reading.lambda(), atMillis, policy.hysteresis());
        Hysteresis next = step.next();
        List<WitnessEdge> witnesses = AvroMapping.witnesses(contracted.graph(), reading.witnessEdges());
        EffectiveIntegrityPolicy effective = policy.toAvro();

        List<StateTransition> transitions = new ArrayList<>(previous == null ? List.of() : previous.getTransitions());
        step.transition().ifPresent(t -> transitions.add(AvroMapping.transition(t)));
        while (transitions.size() > settings.maxTransitions()) {
            transitions.removeFirst();
        }
        IntegrityState state = IntegrityState.newBuilder()
                .setScope(scope.key()).setCollection(scope.collection()).setTenant(scope.tenant())
                .setState(next.state()).setSinceMillis(next.sinceMillis())
                .setLastSampleMillis(next.lastSample().orElse(atMillis))
                .setLambda(reading.lambda()).setLambdaCut(reading.lambdaCut())
                .setLambda2(reading.lambda2().isPresent() ? reading.lambda2().getAsDouble() : null)
                .setWitnessEdges(witnesses)
                .setConsecutiveBelowHigh(next.belowHigh()).setConsecutiveAtOrBelowLow(next.atOrBelowLow())
                .setRecoveryHeldSinceMillis(AvroMapping.nullable(next.recoveryHeldSince()))
                .setLastTransitionMillis(AvroMapping.nullable(next.lastTransition()))
                .setPolicy(effective)
                .setGates(AvroMapping.gates(settings.gates(), next.state()))
                .setTransitions(transitions)
                .setNodeCount(contracted.graph().nodeCount()).setEdgeCount(contracted.graph().edgeCount())
                .build();

        Map<String, String> metadata = metadata(contracted, reading, samples.size());
        List<IntegrityEvent> events = new ArrayList<>();
        if (previous != null && !previous.getPolicy().equals(effective)) {
            Map<String, String> policyMeta = new LinkedHashMap<>(metadata);
            policyMeta.put("previousPolicy", previous.getPolicy().toString());
            policyMeta.put("policy", effective.toString());
            events.add(event(scope, IntegrityEventType.POLICY_UPDATE, memory, next, reading, witnesses, policyMeta,
                    atMillis));
        }
        if (settings.sampleEvents()) {
            events.add(event(scope, IntegrityEventType.SAMPLE, memory, next, reading, witnesses, metadata, atMillis));
        }
        step.transition().ifPresent(t -> events.add(event(scope, IntegrityEventType.STATE_CHANGE, memory, next,
                reading, witnesses, transitionMetadata(metadata, t), atMillis)));
        return new Evaluation(state, events, contracted, reading);
    }

    private static Map<String, String> metadata(ContractedGraph contracted, IntegrityReading reading, int samples) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nodes", Integer.toString(contracted.graph().nodeCount()));
        m.put("edges", Integer.toString(contracted.graph().edgeCount()));
        m.put("mergedEdges", Integer.toString(contracted.graph().mergedEdgeCount()));
        m.put("partitions", Integer.toString(contracted.partitionHealth().size()));
        m.put("unitCut", Double.toString(reading.unitCut()));
        m.put("computeMicros", Long.toString(reading.computeMicros()));
        m.put("samples", Integer.toString(samples));
        // λ reads a well-connected partition only once it is nearly gone (see INTEGRITY-NOTES.md);
        // the weakest partition's health shows degradation long before that.
        contracted.partitionHealth().entrySet().stream()
                .min(Map.Entry.comparingByValue(Comparator.comparingDouble(PartitionHealth::health)))
                .ifPresent(worst -> {
                    m.put("weakestPartition", Integer.toString(worst.getKey()));
                    m.put("weakestPartitionHealth", Double.toString(worst.getValue().health()));
                });
        if (contracted.droppedCentroids() > 0) {
            m.put("droppedCentroids", Integer.toString(contracted.droppedCentroids()));
        }
        if (reading.lambda2().isEmpty()) {
            m.put("lambda2", "skipped");
        }
        return m;
    }

    private Map<String, String> transitionMetadata(Map<String, String> base, Transition t) {
        Map<String, String> m = new LinkedHashMap<>(base);
        m.put("transitionAtMillis", Long.toString(t.atMillis()));
        m.put("cause", t.cause().name());
        m.put("blockedOperations", names(settings.gates().blocked(t.to())));
        m.put("throttledOperations", names(settings.gates().throttled(t.to())));
        return m;
    }

    private static String names(List<Operation> ops) {
        return ops.stream().map(Operation::wireName).collect(Collectors.joining(","));
    }

    private IntegrityEvent event(Scope scope, IntegrityEventType type, Hysteresis before, Hysteresis after,
                                 IntegrityReading reading, List<WitnessEdge> witnesses, Map<String, String> metadata,
                                 long atMillis) {
        long ttl = type == IntegrityEventType.SAMPLE ? settings.staleAfter().toMillis() : settings.eventTtl().toMillis();
        return IntegrityEvent.newBuilder()
                .setEventId(scope.key() + ":" + type + ":" + atMillis)
                .setCollection(scope.collection()).setTenant(scope.tenant())
                .setEventType(type)
                .setPreviousState(before.state()).setNewState(after.state())
                .setLambdaCut(reading.lambdaCut()).setLambda(reading.lambda())
                .setLambda2(reading.lambda2().isPresent() ? reading.lambda2().getAsDouble() : null)
                .setWitnessEdges(witnesses)
                .setMetadata(metadata)
                .setCreatedAtMillis(atMillis).setExpiresAtMillis(atMillis + ttl)
                .build();
    }
}
