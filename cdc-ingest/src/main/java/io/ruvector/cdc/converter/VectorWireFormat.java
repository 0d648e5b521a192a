package io.ruvector.cdc.converter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The forms in which {@link PgVectorConverter} hands vectors to the normaliser inside
 * Debezium's Connect records, and their decoding.
 */
public final class VectorWireFormat {

    /** Connect schema name of a dense float32 little-endian vector. */
    public static final String DENSE_SCHEMA_NAME = "io.ruvector.Float32Vector";
    /** Connect schema name of a packed sparse vector: int32 dims, int32 nnz, nnz int32 indices, nnz float32 values (LE). */
    public static final String SPARSE_SCHEMA_NAME = "io.ruvector.SparseFloat32Vector";
    /** Marker of an unchanged TOASTed value: the row's vector was not sent. A real vector is never empty. */
    public static final byte[] UNAVAILABLE = new byte[0];

    private VectorWireFormat() {
    }

    public static byte[] encodeSparse(PgVectorText.SparseFloats sparse) {
        int n = sparse.indices().length;
        ByteBuffer out = ByteBuffer.allocate(8 + 8 * n).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(sparse.dimensions()).putInt(n);
        for (int index : sparse.indices()) {
            out.putInt(index);
        }
        for (float value : sparse.values()) {
            out.putFloat(value);
        }
        return out.array();
    }

    public static PgVectorText.SparseFloats decodeSparse(byte[] packed) {
        ByteBuffer in = ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN);
        int dimensions = in.getInt();
        int n = in.getInt();
        int[] indices = new int[n];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            indices[i] = in.getInt();
        }
        for (int i = 0; i < n; i++) {
            values[i] = in.getFloat();
        }
        return new PgVectorText.SparseFloats(dimensions, indices, values);
    }
}
