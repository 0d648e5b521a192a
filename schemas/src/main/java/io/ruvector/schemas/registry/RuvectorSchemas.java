package io.ruvector.schemas.registry;

import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.HealingOutcome;
import io.ruvector.schemas.HealingRequest;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.IntegrityPolicy;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.PartitionMap;
import io.ruvector.schemas.SparseVector;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.RouteChange;
import io.ruvector.schemas.HandOffDone;
import io.ruvector.schemas.HandOffAck;
import io.ruvector.schemas.WitnessEdge;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The schemas bundled with this build: one place that lists every generated record type, so
 * the bundled registry, the build-time evolution check and {@code registerAll} never miss a
 * type that a new {@code .avsc} adds. Add a class here when you add a schema file.
 */
public final class RuvectorSchemas {

    /** Every generated top-level record class, in a stable order. */
    public static final List<Class<? extends SpecificRecord>> RECORD_CLASSES = List.of(
            CollectionSpec.class, VectorChange.class, SparseVector.class, Watermark.class,
            DeadLetter.class, PartitionMap.class, IntegritySample.class, WitnessEdge.class, IntegrityEvent.class,
            IntegrityState.class, IntegrityPolicy.class, RemediationCommand.class, CommandAck.class,
            HealingOutcome.class, HealingRequest.class, RouteChange.class, HandOffDone.class, HandOffAck.class);

    /** The record types the vectors topic carries (for {@code AvroUnionSerde}). */
    public static final List<Class<? extends SpecificRecord>> VECTORS_TOPIC_TYPES = List.of(
            VectorChange.class, Watermark.class, RouteChange.class, HandOffDone.class, HandOffAck.class);

    private RuvectorSchemas() {}

    /** The generated classes' {@code getClassSchema()}, in {@link #RECORD_CLASSES} order. */
    public static List<Schema> all() {
        return List.of(CollectionSpec.getClassSchema(), VectorChange.getClassSchema(), SparseVector.getClassSchema(),
                Watermark.getClassSchema(), DeadLetter.getClassSchema(), PartitionMap.getClassSchema(),
                IntegritySample.getClassSchema(), WitnessEdge.getClassSchema(), IntegrityEvent.getClassSchema(),
                IntegrityState.getClassSchema(), IntegrityPolicy.getClassSchema(), RemediationCommand.getClassSchema(),
                CommandAck.getClassSchema(), HealingOutcome.getClassSchema(), HealingRequest.getClassSchema(),
                RouteChange.getClassSchema(), HandOffDone.getClassSchema(), HandOffAck.getClassSchema());
    }

    /**
     * Registers every bundled schema, each under its record full name as subject (Confluent's
     * {@code RecordNameStrategy}), so that a fresh cluster's schema log or registry already
     * knows them before the first record is written.
     *
     * @return id by record full name
     */
    public static Map<String, Integer> registerAll(SchemaRegistry registry) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Schema schema : all()) {
            ids.put(schema.getFullName(), registry.register(schema.getFullName(), schema));
        }
        return ids;
    }
}
