package io.ruvector.index.store;

import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.VectorChange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/** Builds {@link VectorChange}s for tests. */
public final class Changes {

    private Changes() {
    }

    public static VectorChange upsert(String collection, String id, long lsn, boolean snapshot, float[] vector,
                                      Map<String, Object> metadata) {
        return change(collection, id, ChangeOp.UPSERT, lsn, snapshot, vector, metadata, null);
    }

    public static VectorChange upsert(String collection, String id, long lsn, float... vector) {
        return upsert(collection, id, lsn, false, vector, Map.of());
    }

    public static VectorChange delete(String collection, String id, long lsn) {
        return change(collection, id, ChangeOp.DELETE, lsn, false, null, Map.of(), null);
    }

    public static VectorChange metadata(String collection, String id, long lsn, Map<String, Object> metadata) {
        return change(collection, id, ChangeOp.METADATA, lsn, false, null, metadata, null);
    }

    public static VectorChange change(String collection, String id, ChangeOp op, long lsn, boolean snapshot,
                                      float[] vector, Map<String, Object> metadata, String tenant) {
        return VectorChange.newBuilder()
                .setCollection(collection).setId(id).setOp(op).setTenant(tenant)
                .setVector(vector == null ? null : bytes(vector))
                .setMetadata(new HashMap<>(metadata))
                .setLsn(lsn).setCommitTimeMicros(0).setSnapshot(snapshot)
                .build();
    }

    public static ByteBuffer bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer;
    }
}
