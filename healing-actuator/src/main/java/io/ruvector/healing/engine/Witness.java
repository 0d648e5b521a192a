package io.ruvector.healing.engine;

import io.ruvector.schemas.OperationalEdgeType;
import io.ruvector.schemas.WitnessEdge;

/** A witness edge as the engine keeps it in its state store (JSON), convertible to the Avro record. */
public record Witness(String sourceType, String sourceId, String targetType, String targetId, String edgeType,
                      double capacity, double flow) {

    public static Witness of(WitnessEdge e) {
        return new Witness(e.getSourceType(), e.getSourceId(), e.getTargetType(), e.getTargetId(),
                e.getEdgeType().name(), e.getCapacity(), e.getFlow());
    }

    public WitnessEdge toAvro() {
        return WitnessEdge.newBuilder().setSourceType(sourceType).setSourceId(sourceId).setTargetType(targetType)
                .setTargetId(targetId).setEdgeType(OperationalEdgeType.valueOf(edgeType)).setCapacity(capacity)
                .setFlow(flow).build();
    }
}
