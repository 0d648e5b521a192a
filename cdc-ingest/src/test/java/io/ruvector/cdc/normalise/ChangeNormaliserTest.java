package io.ruvector.cdc.normalise;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.cdc.converter.PgVectorText;
import io.ruvector.cdc.converter.VectorWireFormat;
import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.VectorType;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeNormaliserTest {

    private static final long LSN = 23_456_789L;
    private static final long TX_ID = 771L;
    private static final long TS_MS = 1_700_000_000_123L;
    private static final long TS_US = 1_700_000_000_123_456L;
    private static final long NOW_MILLIS = 1_800_000_000_000L;
    private static final float[] VECTOR = {0.25f, -1.5f, 3f};

    private static final Schema VECTOR_SCHEMA = SchemaBuilder.bytes().name(VectorWireFormat.DENSE_SCHEMA_NAME).optional().build();
    private static final Schema ROW = row(VECTOR_SCHEMA);
    private static final Schema ARRAY_ROW = row(SchemaBuilder.array(Schema.OPTIONAL_FLOAT32_SCHEMA).optional().build());
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static final CollectionSpec ITEMS = spec(null);
    private static final CollectionSpec TENANT_ITEMS = spec("tenant");

    private final ChangeNormaliser normaliser = normaliser(ITEMS);

    @ParameterizedTest
    @ValueSource(strings = {"c", "r", "u"})
    void shouldUpsertWithExactVectorBytesWhenRowIsWritten(String op) {
        Normalised result = normaliser.normalise(record(op, null, row(ROW, 42L, bytes(VECTOR), "shoes", 19.99, null),
                op.equals("r") ? "true" : "false"));

        VectorChange change = accepted(result);
        assertThat(change.getOp()).isEqualTo(ChangeOp.UPSERT);
        assertThat(change.getCollection()).isEqualTo("items");
        assertThat(change.getId()).isEqualTo("42");
        assertThat(bytesOf(change.getVector())).containsExactly(bytes(VECTOR));
        assertThat(change.getSparse()).isNull();
        assertThat(change.getTenant()).isNull();
        assertThat(change.getMetadata()).containsExactlyInAnyOrderEntriesOf(Map.of("category", "shoes", "price", 19.99));
        assertThat(change.getMetadata().get("category")).isInstanceOf(String.class);
        assertThat(change.getMetadata().get("price")).isInstanceOf(Double.class);
        assertThat(change.getLsn()).isEqualTo(LSN);
        assertThat(result.lsn()).isEqualTo(LSN);
        assertThat(change.getTxId()).isEqualTo(TX_ID);
        assertThat(change.getCommitTimeMicros()).isEqualTo(TS_US);
        assertThat(change.getSnapshot()).isEqualTo(op.equals("r"));
    }

    @Test
    void shouldKeepNullMetadataValueWhenColumnIsNull() {
        VectorChange change = accepted(normaliser.normalise(record("c", null, row(ROW, 1L, bytes(VECTOR), null, null, null), null)));

        assertThat(change.getMetadata()).containsEntry("category", null).containsEntry("price", null).hasSize(2);
    }

    @Test
    void shouldUseMillisTimesThousandWhenSourceHasNoMicros() {
        Struct source = source("false");
        source.put("ts_us", null);

        VectorChange change = accepted(normaliser.normalise(
                record("c", null, row(ROW, 1L, bytes(VECTOR), "a", 1.0, null), source, Map.of("lsn", LSN))));

        assertThat(change.getCommitTimeMicros()).isEqualTo(TS_MS * 1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "last", "first"})
    void shouldMarkSnapshotWhenSourceSaysSnapshot(String snapshot) {
        VectorChange change = accepted(normaliser.normalise(record("r", null, row(ROW, 1L, bytes(VECTOR), "a", 1.0, null), snapshot)));

        assertThat(change.getSnapshot()).isTrue();
    }

    @Test
    void shouldNotMarkSnapshotWhenSourceSaysFalseOrNothing() {
        Struct row = row(ROW, 1L, bytes(VECTOR), "a", 1.0, null);

        assertThat(accepted(normaliser.normalise(record("c", null, row, "false"))).getSnapshot()).isFalse();
        assertThat(accepted(normaliser.normalise(record("c", null, row, null))).getSnapshot()).isFalse();
    }

    @Test
    void shouldDeleteByOldKeyWhenRowIsDeleted() {
        Normalised result = normaliser.normalise(record("d", row(ROW, 7L, bytes(VECTOR), "old", 2.0, null), null, "false"));

        VectorChange change = accepted(result);
        assertThat(change.getOp()).isEqualTo(ChangeOp.DELETE);
        assertThat(change.getId()).isEqualTo("7");
        assertThat(change.getVector()).isNull();
        assertThat(change.getMetadata()).isEmpty();
        assertThat(change.getLsn()).isEqualTo(LSN);
        assertThat(change.getTxId()).isEqualTo(TX_ID);
    }

    @Test
    void shouldDeleteByKeyWhenBeforeImageHasOnlyTheKey() {
        // REPLICA IDENTITY DEFAULT: the old image carries the primary key, other columns are null
        VectorChange change = accepted(normaliser.normalise(record("d", row(ROW, 8L, null, null, null, null), null, "false")));

        assertThat(change.getOp()).isEqualTo(ChangeOp.DELETE);
        assertThat(change.getId()).isEqualTo("8");
    }

    @Test
    void shouldRejectDeleteWhenThereIsNoOldRow() {
        DeadLetter letter = rejected(normaliser.normalise(record("d", null, null, "false")));

        assertThat(letter.getReason()).contains("delete");
        assertThat(letter.getPayload()).isEqualTo("null");
    }

    @Test
    void shouldKeepStoredVectorWhenUpdateLeftToastedVectorUnchanged() {
        VectorChange change = accepted(normaliser.normalise(
                record("u", null, row(ROW, 42L, VectorWireFormat.UNAVAILABLE, "boots", 5.5, null), "false")));

        assertThat(change.getOp()).isEqualTo(ChangeOp.METADATA);
        assertThat(change.getVector()).isNull();
        assertThat(change.getSparse()).isNull();
        assertThat(change.getId()).isEqualTo("42");
        assertThat(change.getMetadata()).containsEntry("category", "boots").containsEntry("price", 5.5);
        assertThat(change.getLsn()).isEqualTo(LSN);
    }

    @Test
    void shouldDeleteWhenUpdateSetsVectorToNull() {
        VectorChange change = accepted(normaliser.normalise(record("u", null, row(ROW, 42L, null, "x", 1.0, null), "false")));

        assertThat(change.getOp()).isEqualTo(ChangeOp.DELETE);
        assertThat(change.getId()).isEqualTo("42");
        assertThat(change.getVector()).isNull();
        assertThat(change.getMetadata()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "r"})
    void shouldRejectWhenInsertHasNullVector(String op) {
        Normalised result = normaliser.normalise(record(op, null, row(ROW, 42L, null, "x", 1.0, null), "false"));

        DeadLetter letter = rejected(result);
        assertThat(letter.getReason()).contains("null").contains("embedding");
        assertThat(letter.getId()).isEqualTo("42");
        assertThat(letter.getOp()).isEqualTo(op);
        assertThat(letter.getTable()).isEqualTo("public.items");
        assertThat(letter.getCollection()).isEqualTo("items");
        assertThat(letter.getLsn()).isEqualTo(LSN);
        assertThat(letter.getFailedAtMillis()).isEqualTo(NOW_MILLIS);
        assertThat(result.lsn()).isEqualTo(LSN);
    }

    @Test
    void shouldRejectNamingBothDimensionsWhenDimensionIsWrong() {
        DeadLetter letter = rejected(normaliser.normalise(
                record("c", null, row(ROW, 42L, bytes(new float[] {1f, 2f}), "x", 1.0, null), "false")));

        assertThat(letter.getReason()).contains("2").contains("3").contains("dimension");
    }

    @Test
    void shouldRejectWhenVectorBytesAreNotFloat32() {
        DeadLetter letter = rejected(normaliser.normalise(
                record("c", null, row(ROW, 42L, new byte[] {1, 2, 3, 4, 5}, "x", 1.0, null), "false")));

        assertThat(letter.getReason()).contains("embedding");
    }

    @Test
    void shouldRejectWhenVectorBytesHoldInfinity() {
        DeadLetter letter = rejected(normaliser.normalise(
                record("c", null, row(ROW, 42L, bytes(new float[] {1f, Float.POSITIVE_INFINITY, 0f}), "x", 1.0, null), "false")));

        assertThat(letter.getReason()).contains("component 1").contains("Infinity");
    }

    @Test
    void shouldRejectNamingTheComponentWhenRealArrayHoldsNaN() {
        ChangeNormaliser arrays = normaliser(ITEMS);
        Struct row = row(ARRAY_ROW, 42L, Arrays.asList(1f, 2f, Float.NaN), "x", 1.0, null);

        DeadLetter letter = rejected(arrays.normalise(record("c", null, row, "false")));

        assertThat(letter.getReason()).contains("component 2").contains("NaN");
        assertThat(letter.getPayload()).contains("\"id\":42");
    }

    @Test
    void shouldUpsertFloat32BytesWhenRealArrayIsValid() {
        Struct row = row(ARRAY_ROW, 42L, Arrays.asList(0.25f, -1.5f, 3f), "x", 1.0, null);

        VectorChange change = accepted(normaliser.normalise(record("c", null, row, "false")));

        assertThat(bytesOf(change.getVector())).containsExactly(bytes(VECTOR));
    }

    @Test
    void shouldRejectWhenRealArrayHasNullComponent() {
        Struct row = row(ARRAY_ROW, 42L, Arrays.asList(1f, null, 3f), "x", 1.0, null);

        DeadLetter letter = rejected(normaliser.normalise(record("c", null, row, "false")));

        assertThat(letter.getReason()).contains("component 1").contains("null");
    }

    @Test
    void shouldCarryTenantWhenCollectionHasTenantColumn() {
        VectorChange change = accepted(normaliser(TENANT_ITEMS).normalise(
                record("c", null, row(ROW, 42L, bytes(VECTOR), "x", 1.0, "acme"), "false")));

        assertThat(change.getTenant()).isEqualTo("acme");
    }

    @Test
    void shouldRejectWhenTenantCollectionRowHasNullTenant() {
        DeadLetter letter = rejected(normaliser(TENANT_ITEMS).normalise(
                record("c", null, row(ROW, 42L, bytes(VECTOR), "x", 1.0, null), "false")));

        assertThat(letter.getReason()).contains("tenant");
        assertThat(letter.getId()).isEqualTo("42");
    }

    /**
     * With REPLICA IDENTITY DEFAULT the old image of a DELETE carries only the primary key; a
     * delete is keyed by collection and id, so it must not need the tenant. Rejecting it leaves
     * the deleted row searchable.
     */
    @Test
    void shouldDeleteWhenTenantCollectionBeforeImageHasOnlyTheKey() {
        Normalised result = normaliser(TENANT_ITEMS).normalise(record("d", row(ROW, 8L, null, null, null, null), null, "false"));

        VectorChange change = accepted(result);
        assertThat(change.getOp()).isEqualTo(ChangeOp.DELETE);
        assertThat(change.getId()).isEqualTo("8");
    }

    @Test
    void shouldSkipWhenTableIsNotRegistered() {
        Struct source = source("false");
        source.put("table", "other");

        Normalised result = normaliser.normalise(
                record("c", null, row(ROW, 1L, bytes(VECTOR), "x", 1.0, null), source, Map.of("lsn", LSN)));

        assertThat(result).isInstanceOf(Normalised.Skipped.class);
        assertThat(((Normalised.Skipped) result).why()).contains("public.other");
        assertThat(result.lsn()).isEqualTo(LSN);
    }

    @Test
    void shouldReportPositionWhenRecordIsALogicalDecodingMessage() {
        Normalised result = normaliser.normalise(record("m", null, null, "false"));

        assertThat(result).isEqualTo(new Normalised.Position(LSN));
    }

    @Test
    void shouldSkipWithOffsetLsnWhenRecordValueIsNull() {
        SourceRecord tombstone = new SourceRecord(Map.of("server", "pg"), Map.of("lsn", 99L), "topic", null,
                Schema.INT64_SCHEMA, 1L, null, null);

        Normalised result = normaliser.normalise(tombstone);

        assertThat(result).isInstanceOf(Normalised.Skipped.class);
        assertThat(result.lsn()).isEqualTo(99L);
    }

    @Test
    void shouldTakeLsnFromOffsetWhenSourceHasNoLsn() {
        Struct source = source("false");
        source.put("lsn", null);

        VectorChange change = accepted(normaliser.normalise(
                record("c", null, row(ROW, 1L, bytes(VECTOR), "x", 1.0, null), source, Map.of("lsn", 555L))));

        assertThat(change.getLsn()).isEqualTo(555L);
    }

    @Test
    void shouldWriteJsonPayloadWithIdWhenChangeIsRejected() {
        DeadLetter letter = rejected(normaliser.normalise(
                record("c", null, row(ROW, 42L, bytes(new float[] {1f}), "say \"hi\"", 1.5, null), "false")));

        assertThat(letter.getPayload())
                .startsWith("{").endsWith("}")
                .contains("\"id\":42")
                .contains("\"embedding\":\"<4 bytes>\"")
                .contains("\"category\":\"say \\\"hi\\\"\"")
                .contains("\"price\":1.5")
                .contains("\"tenant\":null");
    }

    // ---- builders ----

    private static ChangeNormaliser normaliser(CollectionSpec spec) {
        return new ChangeNormaliser(table -> table.equals(spec.getTable()) ? spec : null,
                Clock.fixed(Instant.ofEpochMilli(NOW_MILLIS), ZoneOffset.UTC));
    }

    private static CollectionSpec spec(String tenantColumn) {
        return CollectionSpec.newBuilder()
                .setName("items")
                .setTable("public.items")
                .setIdColumn("id")
                .setVectorColumn("embedding")
                .setVectorType(VectorType.VECTOR)
                .setDimensions(3)
                .setMetric(Metric.L2)
                .setTenantColumn(tenantColumn)
                .setMetadataColumns(List.of("category", "price"))
                .setHnswM(16)
                .setHnswEfConstruction(64)
                .setPartitions(4)
                .setCreatedAtMillis(0)
                .build();
    }

    private static Schema row(Schema vectorSchema) {
        return SchemaBuilder.struct().name("pg.public.items.Value").optional()
                .field("id", Schema.INT64_SCHEMA)
                .field("embedding", vectorSchema)
                .field("category", Schema.OPTIONAL_STRING_SCHEMA)
                .field("price", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("tenant", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
    }

    private static Struct row(Schema schema, long id, Object vector, String category, Double price, String tenant) {
        return new Struct(schema).put("id", id).put("embedding", vector).put("category", category)
                .put("price", price).put("tenant", tenant);
    }

    private static Struct source(String snapshot) {
        return new Struct(SOURCE).put("schema", "public").put("table", "items").put("lsn", LSN).put("txId", TX_ID)
                .put("ts_ms", TS_MS).put("ts_us", TS_US).put("snapshot", snapshot);
    }

    private static SourceRecord record(String op, Struct before, Struct after, String snapshot) {
        return record(op, before, after, source(snapshot), Map.of("lsn", LSN));
    }

    private static SourceRecord record(String op, Struct before, Struct after, Struct source, Map<String, ?> offset) {
        Schema rowSchema = before != null ? before.schema() : after != null ? after.schema() : ROW;
        Schema envelope = SchemaBuilder.struct().name("pg.public.items.Envelope")
                .field("before", rowSchema)
                .field("after", rowSchema)
                .field("source", SOURCE)
                .field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
        Struct value = new Struct(envelope).put("before", before).put("after", after).put("source", source).put("op", op);
        value.validate();
        return new SourceRecord(Map.of("server", "pg"), new HashMap<>(offset), "pg.public.items", null,
                Schema.INT64_SCHEMA, 1L, envelope, value);
    }

    private static byte[] bytes(float[] vector) {
        return PgVectorText.toLittleEndianBytes(vector);
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    private static VectorChange accepted(Normalised result) {
        assertThat(result).isInstanceOf(Normalised.Accepted.class);
        return ((Normalised.Accepted) result).change();
    }

    private static DeadLetter rejected(Normalised result) {
        assertThat(result).isInstanceOf(Normalised.Rejected.class);
        return ((Normalised.Rejected) result).letter();
    }
}
