package io.ruvector.index.store;

import static io.ruvector.index.store.Changes.delete;
import static io.ruvector.index.store.Changes.metadata;
import static io.ruvector.index.store.Changes.upsert;
import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.query.KnnRequest;
import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.SparseVector;
import io.ruvector.schemas.VectorChange;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The apply rules of docs/topics.md on the pure {@link PartitionIndex}. */
class PartitionIndexTest {

    private final PartitionIndex index = new PartitionIndex();

    @Test
    void shouldDropAReplayWhenTheLsnIsNotHigher() {
        index.apply(upsert("c", "1", 10, 1f, 2f));
        assertThat(index.apply(upsert("c", "1", 10, 9f, 9f))).isEqualTo(drop(ApplyRules.DropReason.REPLAY));
        assertThat(index.apply(upsert("c", "1", 5, 9f, 9f))).isEqualTo(drop(ApplyRules.DropReason.REPLAY));
        assertThat(index.get("c", "1").vector()).containsExactly(1f, 2f);
        assertThat(index.dropped(ApplyRules.DropReason.REPLAY)).isEqualTo(2);
    }

    @Test
    void shouldReplaceVectorAndMetadataWhenAnUpsertIsNewer() {
        index.apply(upsert("c", "1", 10, false, new float[] {1f, 2f}, Map.of("a", 1L)));
        index.apply(upsert("c", "1", 11, false, new float[] {3f, 4f}, Map.of("b", "x")));
        assertThat(index.get("c", "1").vector()).containsExactly(3f, 4f);
        assertThat(index.get("c", "1").metadata()).isEqualTo(Map.of("b", "x"));
        assertThat(index.count("c")).isEqualTo(1);
    }

    @Test
    void shouldNotResurrectWhenAnOlderUpsertIsReplayedAfterTheDelete() {
        index.apply(upsert("c", "1", 10, 1f));
        index.apply(delete("c", "1", 20));
        assertThat(index.apply(upsert("c", "1", 10, 1f))).isInstanceOf(ApplyRules.Drop.class);
        assertThat(index.apply(upsert("c", "1", 15, 1f))).isInstanceOf(ApplyRules.Drop.class);
        assertThat(index.get("c", "1")).isNull();
        assertThat(index.current("c", "1")).isEqualTo(new Tombstone("c", "1", 20, false, 0));
        assertThat(index.search(KnnRequest.of("c", new float[] {1f}, 5, Metric.L2)).hits()).isEmpty();
        index.apply(upsert("c", "1", 21, 2f)); // a newer insert of the same key is a new row
        assertThat(index.get("c", "1").vector()).containsExactly(2f);
    }

    @Test
    void shouldKeepATombstoneWhenTheDeleteArrivesBeforeAnyUpsert() {
        index.apply(delete("c", "1", 20));
        assertThat(index.apply(upsert("c", "1", 19, 1f))).isInstanceOf(ApplyRules.Drop.class);
        assertThat(index.count("c")).isZero();
    }

    @Test
    void shouldSupersedeASnapshotReadWhenAStreamedChangeArrivesWhateverTheLsn() {
        index.apply(upsert("c", "1", 100, true, new float[] {1f}, Map.of()));
        index.apply(upsert("c", "1", 50, false, new float[] {2f}, Map.of()));
        assertThat(index.get("c", "1").vector()).containsExactly(2f);
        assertThat(index.apply(upsert("c", "1", 200, true, new float[] {3f}, Map.of())))
                .isEqualTo(drop(ApplyRules.DropReason.SUPERSEDED_BY_STREAM));
        assertThat(index.get("c", "1").vector()).containsExactly(2f);
    }

    @Test
    void shouldKeepTheVectorWhenAMetadataChangeArrives() {
        index.apply(upsert("c", "1", 10, false, new float[] {1f, 2f}, Map.of("a", 1L)));
        index.apply(metadata("c", "1", 11, Map.of("a", 2L, "s", "t")));
        IndexedVector row = index.get("c", "1");
        assertThat(row.vector()).containsExactly(1f, 2f);
        assertThat(row.metadata()).isEqualTo(Map.of("a", 2L, "s", "t"));
        assertThat(row.lsn()).isEqualTo(11);
        assertThat(index.apply(metadata("c", "1", 11, Map.of()))).isEqualTo(drop(ApplyRules.DropReason.REPLAY));
    }

    @Test
    void shouldIgnoreAMetadataChangeWhenTheIdIsUnknownOrDeleted() {
        assertThat(index.apply(metadata("c", "1", 11, Map.of("a", 2L))))
                .isEqualTo(drop(ApplyRules.DropReason.METADATA_WITHOUT_ROW));
        index.apply(upsert("c", "2", 10, 1f));
        index.apply(delete("c", "2", 12));
        assertThat(index.apply(metadata("c", "2", 13, Map.of()))).isEqualTo(drop(ApplyRules.DropReason.METADATA_WITHOUT_ROW));
        assertThat(index.count("c")).isZero();
    }

    @Test
    void shouldSkipWithACounterWhenTheChangeIsSparse() {
        VectorChange sparse = Changes.change("c", "1", ChangeOp.UPSERT, 10, false, null, Map.of(), null);
        sparse.setSparse(SparseVector.newBuilder().setDimensions(4).setIndices(ByteBuffer.allocate(0))
                .setValues(ByteBuffer.allocate(0)).build());
        assertThat(index.apply(sparse)).isEqualTo(drop(ApplyRules.DropReason.SPARSE_UNSUPPORTED));
        assertThat(index.dropped(ApplyRules.DropReason.SPARSE_UNSUPPORTED)).isEqualTo(1);
    }

    @Test
    void shouldRejectWhenTheDimensionDiffersFromTheCollections() {
        index.apply(upsert("c", "1", 10, 1f, 2f));
        assertThat(index.apply(upsert("c", "2", 11, 1f))).isEqualTo(drop(ApplyRules.DropReason.DIMENSION_MISMATCH));
        assertThat(index.count("c")).isEqualTo(1);
    }

    @Test
    void shouldFilterByTenantAndMetadataWhenRequested() {
        index.apply(Changes.change("c", "1", ChangeOp.UPSERT, 1, false, new float[] {0f}, Map.of("k", "a"), "t1"));
        index.apply(Changes.change("c", "2", ChangeOp.UPSERT, 2, false, new float[] {1f}, Map.of("k", "b"), "t1"));
        index.apply(Changes.change("c", "3", ChangeOp.UPSERT, 3, false, new float[] {2f}, Map.of("k", "a"), "t2"));
        float[] q = {0f};
        assertThat(index.search(new KnnRequest("c", q, 10, Metric.L2, "t1", Map.of())).ids()).containsExactly("1", "2");
        assertThat(index.search(new KnnRequest("c", q, 10, Metric.L2, null, Map.of("k", "a"))).ids())
                .containsExactly("1", "3");
        assertThat(index.search(new KnnRequest("c", q, 10, Metric.L2, "t2", Map.of("k", "a"))).ids())
                .containsExactly("3");
    }

    @Test
    void shouldRaiseTheWatermarkOnlyWhenHigher() {
        assertThat(index.watermark()).isEqualTo(PartitionIndex.NO_WATERMARK);
        assertThat(index.advanceWatermark(5)).isTrue();
        assertThat(index.advanceWatermark(3)).isFalse();
        assertThat(index.watermark()).isEqualTo(5);
    }

    private static ApplyRules.Decision drop(ApplyRules.DropReason reason) {
        return new ApplyRules.Drop(reason);
    }
}
