package io.ruvector.schemas.serde;

import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.PartitionMap;
import io.ruvector.schemas.SparseVector;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.VectorType;
import io.ruvector.schemas.Watermark;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sample values of every record type, with every optional part filled. */
final class TestRecords {

    static final float[] VECTOR = {0.5f, -1.25f, Float.MIN_VALUE, 3.4028235e38f, -0.0f};

    private TestRecords() {}

    static ByteBuffer float32(float... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buf.putFloat(v);
        }
        return buf.flip();
    }

    static float[] floats(ByteBuffer bytes) {
        ByteBuffer le = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[le.remaining() / Float.BYTES];
        for (int i = 0; i < out.length; i++) {
            out[i] = le.getFloat();
        }
        return out;
    }

    static Map<String, Object> metadataWithEveryUnionType() {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("deleted_at", null);
        metadata.put("title", "ünïcode title");
        metadata.put("views", 9_007_199_254_740_993L);
        metadata.put("score", 0.1d);
        metadata.put("published", true);
        return metadata;
    }

    static VectorChange vectorChange() {
        return VectorChange.newBuilder()
                .setCollection("items").setId("42").setOp(ChangeOp.UPSERT).setTenant("acme")
                .setVector(float32(VECTOR)).setMetadata(metadataWithEveryUnionType())
                .setLsn(0x1_0000_0001L).setTxId(77L).setCommitTimeMicros(1_700_000_000_000_123L)
                .setSnapshot(true).setPartitionMapEpoch(3).build();
    }

    static VectorChange sparseChange() {
        ByteBuffer indices = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(1000).flip();
        return VectorChange.newBuilder()
                .setCollection("sparse").setId("7").setOp(ChangeOp.UPSERT)
                .setSparse(SparseVector.newBuilder().setDimensions(30_000).setIndices(indices)
                        .setValues(float32(0.25f, -2f)).build())
                .setLsn(5).setCommitTimeMicros(6).build();
    }

    static Watermark watermark() {
        return Watermark.newBuilder().setLsn(123_456L).setSource("capture-1").setEmittedAtMillis(1_700_000_000_000L).build();
    }

    static CollectionSpec collectionSpec() {
        return CollectionSpec.newBuilder().setName("items").setTable("public.items").setIdColumn("id")
                .setVectorColumn("embedding").setVectorType(VectorType.HALFVEC).setDimensions(768)
                .setMetric(Metric.COSINE).setTenantColumn("tenant_id").setMetadataColumns(List.of("title", "views"))
                .setPartitions(12).setCreatedAtMillis(1L).build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder().setCollection("items").setTable("public.items").setId("9").setOp("c")
                .setReason("public.items.embedding: dimension 767, expected 768").setLsn(99L)
                .setPayload("{\"id\":9}").setFailedAtMillis(2L).build();
    }

    static PartitionMap partitionMap() {
        return PartitionMap.newBuilder().setCollection("items").setEpoch(4).setBuckets(List.of(0, 1, 2, 0)).build();
    }
}
