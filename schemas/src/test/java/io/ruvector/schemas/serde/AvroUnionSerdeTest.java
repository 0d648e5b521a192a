package io.ruvector.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.registry.RuvectorSchemas;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroUnionSerdeTest {

    private final SchemaRegistry registry = SchemaRegistries.inMemory();
    private final AvroUnionSerde vectors = AvroUnionSerde.forValues(registry, RuvectorSchemas.VECTORS_TOPIC_TYPES);

    @Test
    void shouldDecodeEachRecordIntoItsOwnClassWhenTopicCarriesSeveralTypes() {
        byte[] change = vectors.serialize("ruvector.vectors", TestRecords.vectorChange());
        byte[] mark = vectors.serialize("ruvector.vectors", TestRecords.watermark());

        SpecificRecord first = vectors.deserialize("ruvector.vectors", change);
        SpecificRecord second = vectors.deserialize("ruvector.vectors", mark);

        assertThat(first).isInstanceOf(VectorChange.class).isEqualTo(TestRecords.vectorChange());
        assertThat(second).isInstanceOf(Watermark.class).isEqualTo(TestRecords.watermark());
    }

    @Test
    void shouldReadFramesOfSingleTypeSerdeWhenSharingRegistry() {
        byte[] mark = AvroSerde.forValues(registry, Watermark.class).serialize("ruvector.vectors", TestRecords.watermark());

        assertThat(vectors.deserialize("ruvector.vectors", mark)).isEqualTo(TestRecords.watermark());
    }

    @Test
    void shouldRegisterUnderTopicRecordSubjectsWhenSerializingEachType() {
        RecordingRegistry recording = new RecordingRegistry(1);
        AvroUnionSerde serde = AvroUnionSerde.forValues(recording, RuvectorSchemas.VECTORS_TOPIC_TYPES);

        serde.serialize("v", TestRecords.vectorChange());
        serde.serialize("v", TestRecords.watermark());
        serde.serialize("v", TestRecords.watermark());

        assertThat(recording.subjects).containsExactly("v-io.ruvector.schemas.VectorChange", "v-io.ruvector.schemas.Watermark");
    }

    @Test
    void shouldListAcceptedTypesWhenWriterTypeIsUnknown() {
        byte[] dead = AvroSerde.forValues(registry, DeadLetter.class).serialize("ruvector.vectors", TestRecords.deadLetter());

        assertThatThrownBy(() -> vectors.deserialize("ruvector.vectors", dead))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'io.ruvector.schemas.DeadLetter'")
                .hasMessageContaining("[io.ruvector.schemas.HandOffAck, io.ruvector.schemas.HandOffDone, io.ruvector.schemas.RouteChange, io.ruvector.schemas.VectorChange, io.ruvector.schemas.Watermark]");
    }

    @Test
    void shouldRefuseToSerializeWhenClassIsNotAccepted() {
        assertThatThrownBy(() -> vectors.serialize("t", TestRecords.deadLetter()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("io.ruvector.schemas.DeadLetter is not one of");
    }

    @Test
    void shouldResolveOlderWriterIntoCurrentClassWhenPickedByName() {
        Schema older = AvroSerdeTest.withoutFields(VectorChange.getClassSchema(), Set.of("snapshot", "partitionMapEpoch"));
        GenericRecord old = new GenericData.Record(older);
        old.put("collection", "c");
        old.put("id", "1");
        old.put("op", new GenericData.EnumSymbol(older.getField("op").schema(), "UPSERT"));
        old.put("metadata", java.util.Map.of());
        old.put("lsn", 1L);
        old.put("commitTimeMicros", 2L);
        byte[] framed = ConfluentFraming.encode(registry.register("s", older), AvroSerdeTest.avroBinary(old));

        SpecificRecord decoded = vectors.deserialize("t", framed);

        assertThat(decoded).isInstanceOfSatisfying(VectorChange.class, c -> assertThat(c.getPartitionMapEpoch()).isZero());
    }

    @Test
    void shouldRejectDuplicateTypesWhenConstructed() {
        assertThatThrownBy(() -> AvroUnionSerde.forValues(registry, List.of(Watermark.class, Watermark.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("given twice");
    }
}
