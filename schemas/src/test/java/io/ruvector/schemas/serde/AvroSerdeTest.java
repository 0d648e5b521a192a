package io.ruvector.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.PartitionMap;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.registry.SchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final SchemaRegistry registry = SchemaRegistries.inMemory();

    private <T extends SpecificRecord> T roundTrip(Class<T> type, T value) {
        AvroSerde<T> serde = AvroSerde.forValues(registry, type);
        return serde.deserialize("topic", serde.serialize("topic", value));
    }

    @Test
    void shouldRoundTripVectorChangeWhenItCarriesFloat32VectorAndEveryMetadataType() {
        VectorChange original = TestRecords.vectorChange();

        VectorChange decoded = roundTrip(VectorChange.class, original);

        assertThat(decoded).isEqualTo(original);
        assertThat(TestRecords.floats(decoded.getVector())).containsExactly(TestRecords.VECTOR);
        assertThat(decoded.getMetadata())
                .containsEntry("deleted_at", null).containsEntry("title", "ünïcode title")
                .containsEntry("views", 9_007_199_254_740_993L).containsEntry("score", 0.1d)
                .containsEntry("published", true).hasSize(5);
        assertThat(decoded.getMetadata().get("title")).isInstanceOf(String.class);
    }

    @Test
    void shouldRoundTripSparseVectorWhenChangeIsSparse() {
        VectorChange original = TestRecords.sparseChange();

        VectorChange decoded = roundTrip(VectorChange.class, original);

        assertThat(decoded).isEqualTo(original);
        assertThat(TestRecords.floats(decoded.getSparse().getValues())).containsExactly(0.25f, -2f);
        assertThat(decoded.getVector()).isNull();
    }

    @Test
    void shouldRoundTripEveryOtherRecordTypeWhenSerialized() {
        assertThat(roundTrip(Watermark.class, TestRecords.watermark())).isEqualTo(TestRecords.watermark());
        assertThat(roundTrip(CollectionSpec.class, TestRecords.collectionSpec())).isEqualTo(TestRecords.collectionSpec());
        assertThat(roundTrip(DeadLetter.class, TestRecords.deadLetter())).isEqualTo(TestRecords.deadLetter());
        assertThat(roundTrip(PartitionMap.class, TestRecords.partitionMap())).isEqualTo(TestRecords.partitionMap());
    }

    @Test
    void shouldFrameWithMagicZeroAndRegisteredIdBigEndianWhenSerializing() {
        RecordingRegistry recording = new RecordingRegistry(0x0A0B0C0D);
        AvroSerde<Watermark> serde = AvroSerde.forValues(recording, Watermark.class);

        byte[] bytes = serde.serialize("ruvector.vectors", TestRecords.watermark());

        assertThat(bytes).startsWith(0, 0x0A, 0x0B, 0x0C, 0x0D);
        assertThat(ConfluentFraming.payload("t", bytes)).isEqualTo(avroBinary(TestRecords.watermark()));
    }

    @Test
    void shouldRegisterOncePerTopicUnderKeyOrValueSubjectWhenSerializingRepeatedly() {
        RecordingRegistry recording = new RecordingRegistry(1);
        AvroSerde<Watermark> values = AvroSerde.forValues(recording, Watermark.class);
        AvroSerde<Watermark> keys = AvroSerde.forKeys(recording, Watermark.class);

        for (int i = 0; i < 3; i++) {
            values.serialize("a", TestRecords.watermark());
            values.serialize("b", TestRecords.watermark());
            keys.serialize("a", TestRecords.watermark());
        }

        assertThat(recording.subjects).containsExactly("a-value", "b-value", "a-key");
    }

    @Test
    void shouldPassNullThroughWhenRecordIsTombstone() {
        AvroSerde<VectorChange> serde = AvroSerde.forValues(registry, VectorChange.class);

        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    @Test
    void shouldFillDefaultsWhenDataWasWrittenWithOlderSchema() {
        Schema older = withoutFields(VectorChange.getClassSchema(), Set.of("snapshot", "partitionMapEpoch", "tenant"));
        GenericRecord old = new GenericData.Record(older);
        old.put("collection", "items");
        old.put("id", "1");
        old.put("op", new GenericData.EnumSymbol(older.getField("op").schema(), "DELETE"));
        old.put("metadata", Map.of());
        old.put("lsn", 10L);
        old.put("commitTimeMicros", 20L);
        byte[] framed = ConfluentFraming.encode(registry.register("t-value", older), avroBinary(old));

        VectorChange decoded = AvroSerde.forValues(registry, VectorChange.class).deserialize("t", framed);

        assertThat(decoded.getOp()).isEqualTo(ChangeOp.DELETE);
        assertThat(decoded.getLsn()).isEqualTo(10L);
        assertThat(decoded.getSnapshot()).isFalse();
        assertThat(decoded.getPartitionMapEpoch()).isZero();
        assertThat(decoded.getTenant()).isNull();
    }

    @Test
    void shouldNameIncompatibilityWhenWriterLacksFieldWithoutDefault() {
        Schema older = withoutFields(Watermark.getClassSchema(), Set.of("source"));
        GenericRecord old = new GenericData.Record(older);
        old.put("lsn", 1L);
        old.put("emittedAtMillis", 2L);
        byte[] framed = ConfluentFraming.encode(registry.register("t-value", older), avroBinary(old));

        assertThatThrownBy(() -> AvroSerde.forValues(registry, Watermark.class).deserialize("t", framed))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot be read as io.ruvector.schemas.Watermark")
                .hasMessageContaining("source");
    }

    @Test
    void shouldNameIdWhenSchemaIdIsUnknown() {
        byte[] framed = ConfluentFraming.encode(12345, new byte[] {2});

        assertThatThrownBy(() -> AvroSerde.forValues(registry, Watermark.class).deserialize("ruvector.vectors", framed))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'ruvector.vectors'")
                .hasMessageContaining("unknown schema id 12345");
    }

    @Test
    void shouldFailClearlyWhenMagicByteIsWrong() {
        byte[] json = "{\"lsn\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> AvroSerde.forValues(registry, Watermark.class).deserialize("t", json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown magic byte 0x7b");
    }

    @Test
    void shouldFailWhenPayloadHasTrailingBytes() {
        AvroSerde<Watermark> serde = AvroSerde.forValues(registry, Watermark.class);
        byte[] framed = serde.serialize("t", TestRecords.watermark());
        byte[] longer = java.util.Arrays.copyOf(framed, framed.length + 1);

        assertThatThrownBy(() -> serde.deserialize("t", longer))
                .isInstanceOf(SerializationException.class).hasMessageContaining("trailing bytes");
    }

    @Test
    void shouldRoundTripFromManyThreadsWhenSerdeIsShared() throws Exception {
        AvroSerde<VectorChange> serde = AvroSerde.forValues(registry, VectorChange.class);
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    VectorChange change = VectorChange.newBuilder(TestRecords.vectorChange())
                            .setId(thread + "-" + i).setVector(TestRecords.float32(thread, i)).build();
                    if (!serde.deserialize("t", serde.serialize("t", change)).equals(change)) {
                        failures.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(failures).hasValue(0);
    }

    static Schema withoutFields(Schema schema, Set<String> dropped) {
        List<Schema.Field> fields = schema.getFields().stream().filter(f -> !dropped.contains(f.name()))
                .map(f -> new Schema.Field(f, f.schema())).toList();
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    static byte[] avroBinary(Object datum) {
        try {
            Schema schema = datum instanceof GenericRecord r ? r.getSchema() : null;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            GenericDatumWriter<Object> writer = datum instanceof SpecificRecord s
                    ? new org.apache.avro.specific.SpecificDatumWriter<>(s.getSchema())
                    : new GenericDatumWriter<>(schema);
            writer.write(datum, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
