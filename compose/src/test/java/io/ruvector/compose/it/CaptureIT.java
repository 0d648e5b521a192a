package io.ruvector.compose.it;

import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.VectorChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Capture against the real PostgreSQL + pgvector and the in-process broker: every kind of change
 * of every pgvector type arrives as a {@link VectorChange} with exact float32 values.
 */
class CaptureIT extends SharedRuntime {

    private static final Duration WAIT = Duration.ofSeconds(60);


    @ParameterizedTest(name = "vector({0})")
    @ValueSource(ints = {3, 768})
    void shouldDeliverInsertUpdateDeleteWithExactFloat32WhenRowsChange(int dims) throws Exception {
        long seed = System.nanoTime();
        System.out.println("seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        String table = "cap_" + TestPostgres.unique();
        float[] first = Floats.random(random, dims);
        float[] second = Floats.random(random, dims);
        float[] updated = Floats.random(random, dims);
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(" + dims + "), category text)",
                "INSERT INTO " + table + " VALUES (1, '" + Floats.text(first) + "', 'a')");
        String name = "c" + TestPostgres.unique();
        fixture.register(name, table, "embedding", Metric.L2, List.of("category"), null, 0);
        awaitChanges(name, 1);
        TestPostgres.exec("INSERT INTO " + table + " VALUES (2, '" + Floats.text(second) + "', 'b')",
                "UPDATE " + table + " SET embedding = '" + Floats.text(updated) + "' WHERE id = 1",
                "DELETE FROM " + table + " WHERE id = 2");
        try (VectorsTopic topic = fixture.vectors()) {
            topic.await(r -> topic.changes(name).size() >= 4, WAIT, "4 changes of " + name);
            List<VectorChange> changes = topic.changes(name);
            assertThat(changes).extracting(VectorChange::getId, VectorChange::getOp).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("1", ChangeOp.UPSERT), org.assertj.core.groups.Tuple.tuple("2", ChangeOp.UPSERT),
                    org.assertj.core.groups.Tuple.tuple("1", ChangeOp.UPSERT), org.assertj.core.groups.Tuple.tuple("2", ChangeOp.DELETE));
            VectorChange snapshotRead = changes.stream().filter(c -> c.getId().equals("1") && c.getSnapshot()).findFirst().orElseThrow();
            assertThat(Floats.of(snapshotRead)).containsExactly(first);
            assertThat(snapshotRead.getMetadata()).containsEntry("category", "a");
            VectorChange update = changes.stream().filter(c -> c.getId().equals("1") && !c.getSnapshot()).findFirst().orElseThrow();
            assertThat(Floats.of(update)).containsExactly(updated);
            VectorChange insert = changes.stream().filter(c -> c.getId().equals("2") && c.getOp() == ChangeOp.UPSERT).findFirst().orElseThrow();
            assertThat(Floats.of(insert)).containsExactly(second);
            VectorChange delete = changes.stream().filter(c -> c.getOp() == ChangeOp.DELETE).findFirst().orElseThrow();
            assertThat(delete.getVector()).isNull();
            assertThat(delete.getLsn()).isGreaterThan(insert.getLsn());
            assertThat(update.getTxId()).isNotNull();
            assertThat(update.getCommitTimeMicros()).isGreaterThan(1_600_000_000_000_000L);
        }
    }

    @Test
    void shouldDeliverHalfvecAsFloat32WhenHalfvecRowsChange() throws Exception {
        String table = "half_" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id text PRIMARY KEY, embedding halfvec(4))");
        String name = "h" + TestPostgres.unique();
        fixture.register(name, table, "embedding", Metric.COSINE, List.of(), null, 0);
        TestPostgres.exec("INSERT INTO " + table + " VALUES ('a', '[0.5,-1.25,3,0.0001]')");
        List<List<Object>> stored = TestPostgres.query("SELECT embedding::vector::text FROM " + table + " WHERE id = 'a'");
        try (VectorsTopic topic = fixture.vectors()) {
            topic.await(r -> !topic.changes(name).isEmpty(), WAIT, "halfvec change");
            VectorChange change = topic.changes(name).getFirst();
            assertThat(change.getId()).isEqualTo("a");
            // halfvec rounds to float16; the change carries exactly what PostgreSQL stored
            assertThat(Floats.of(change)).containsExactly(
                    io.ruvector.cdc.converter.PgVectorText.parseDense(stored.getFirst().getFirst().toString()));
        }
    }

    @Test
    void shouldDeliverSparsevecWhenSparseRowsChange() throws Exception {
        String table = "sparse_" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding sparsevec(1000))");
        String name = "s" + TestPostgres.unique();
        fixture.register(name, table, "embedding", Metric.IP, List.of(), null, 0);
        TestPostgres.exec("INSERT INTO " + table + " VALUES (7, '{1:0.5,10:-2,1000:3.25}/1000')");
        try (VectorsTopic topic = fixture.vectors()) {
            topic.await(r -> !topic.changes(name).isEmpty(), WAIT, "sparsevec change");
            VectorChange change = topic.changes(name).getFirst();
            assertThat(change.getVector()).isNull();
            assertThat(change.getSparse().getDimensions()).isEqualTo(1000);
            assertThat(ints(change.getSparse().getIndices())).containsExactly(0, 9, 999);
            assertThat(io.ruvector.cdc.converter.PgVectorText.fromLittleEndianBytes(change.getSparse().getValues()))
                    .containsExactly(0.5f, -2f, 3.25f);
        }
    }

    @Test
    void shouldKeepToastedVectorWhenUpdateTouchesAnotherColumn() throws Exception {
        String table = "toast_" + TestPostgres.unique();
        float[] vector = Floats.random(new SplittableRandom(7), 1536);
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(1536), category text)",
                "INSERT INTO " + table + " VALUES (1, '" + Floats.text(vector) + "', 'before')");
        String name = "t" + TestPostgres.unique();
        fixture.register(name, table, "embedding", Metric.L2, List.of("category"), null, 0);
        awaitChanges(name, 1);
        TestPostgres.exec("UPDATE " + table + " SET category = 'after' WHERE id = 1");
        try (VectorsTopic topic = fixture.vectors()) {
            topic.await(r -> topic.changes(name).size() >= 2, WAIT, "snapshot read and metadata update");
            List<VectorChange> changes = topic.changes(name);
            assertThat(Floats.of(changes.getFirst())).containsExactly(vector);
            VectorChange update = changes.get(1);
            assertThat(update.getOp()).as("an UPDATE without the TOASTed vector must not wipe it").isEqualTo(ChangeOp.METADATA);
            assertThat(update.getVector()).isNull();
            assertThat(update.getMetadata()).containsEntry("category", "after");
        }
    }

    @Test
    void shouldDeadLetterNanAndWrongDimensionAndDeliverTheNextRow() throws Exception {
        String arrays = "arr_" + TestPostgres.unique();
        String loose = "loose_" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + arrays + " (id int PRIMARY KEY, embedding real[])",
                "CREATE TABLE " + loose + " (id int PRIMARY KEY, embedding vector)");
        String arraysName = "a" + TestPostgres.unique();
        String looseName = "l" + TestPostgres.unique();
        fixture.register(arraysName, arrays, "embedding", Metric.L2, List.of(), null, 3);
        fixture.register(looseName, loose, "embedding", Metric.L2, List.of(), null, 3);
        TestPostgres.exec("INSERT INTO " + arrays + " VALUES (1, ARRAY[1, 'NaN', 3]::real[])",
                "INSERT INTO " + arrays + " VALUES (2, ARRAY[1, 2, 3]::real[])",
                "INSERT INTO " + loose + " VALUES (1, '[1,2,3,4]')",
                "INSERT INTO " + loose + " VALUES (2, '[4,5,6]')");
        try (VectorsTopic dlq = fixture.deadLetters(); VectorsTopic topic = fixture.vectors()) {
            dlq.await(r -> dlq.deadLetters().stream().filter(d -> d.getCollection().equals(arraysName)
                    || d.getCollection().equals(looseName)).count() >= 2, WAIT, "two dead letters");
            List<DeadLetter> letters = dlq.deadLetters().stream().filter(d -> d.getCollection().equals(arraysName)
                    || d.getCollection().equals(looseName)).toList();
            // at-least-once: a capture restart (the second registration) may deliver a change again,
            // the same change at the same LSN; the index applies it once
            assertThat(letters).extracting(DeadLetter::getCollection).contains(arraysName, looseName);
            assertThat(letters).extracting(DeadLetter::getId).containsOnly("1");
            assertThat(letters.stream().filter(d -> d.getCollection().equals(arraysName)).findFirst().orElseThrow().getReason())
                    .contains("component 1").contains("NaN");
            assertThat(letters.stream().filter(d -> d.getCollection().equals(looseName)).findFirst().orElseThrow().getReason())
                    .contains("dimension 4").contains("3");
            topic.await(r -> !topic.changes(arraysName).isEmpty() && !topic.changes(looseName).isEmpty(), WAIT, "the good rows");
            for (String name : List.of(arraysName, looseName)) {
                List<VectorChange> changes = topic.changes(name);
                assertThat(changes).extracting(VectorChange::getId).as("the good row of %s, only", name).containsOnly("2");
                assertThat(changes.stream().map(VectorChange::getLsn).distinct()).as("one change, maybe delivered again")
                        .hasSize(1);
            }
            assertThat(Floats.of(topic.changes(arraysName).getFirst())).containsExactly(1f, 2f, 3f);
        }
    }

    @Test
    void shouldAdvanceWatermarkPastACommitWhenTablesAreIdle() throws Exception {
        List<List<Object>> lsn = TestPostgres.query("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn");
        long committed = ((Number) lsn.getFirst().getFirst()).longValue();
        try (VectorsTopic topic = fixture.vectors()) {
            topic.await(r -> r.stream().anyMatch(c -> c.value() instanceof io.ruvector.schemas.Watermark w && w.getLsn() >= committed),
                    WAIT, "a watermark >= " + committed);
            int partitions = fixture.runtime.vectorPartitions();
            topic.await(r -> r.stream().filter(c -> c.value() instanceof io.ruvector.schemas.Watermark w && w.getLsn() >= committed)
                    .map(c -> c.partition()).distinct().count() == partitions, WAIT, "watermarks on every partition");
        }
    }

    /** Waits for the first changes of a collection (its snapshot reads) before changing rows. */
    private static void awaitChanges(String collection, int count) throws Exception {
        try (VectorsTopic topic = fixture.vectors()) {
            topic.await(r -> topic.changes(collection).size() >= count, WAIT, count + " changes of " + collection);
        }
    }

    private static int[] ints(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[b.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getInt();
        }
        return out;
    }
}
