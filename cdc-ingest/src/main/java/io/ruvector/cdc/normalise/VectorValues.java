package io.ruvector.cdc.normalise;

import io.ruvector.cdc.converter.PgVectorText;
import io.ruvector.cdc.converter.VectorWireFormat;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.SparseVector;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.VectorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Reads the vector column of a captured row into a change, checking dimension and finiteness.
 * Accepts the converter's float32 bytes (pgvector columns) and Connect arrays
 * ({@code real[]}/{@code double precision[]} columns holding embeddings).
 */
final class VectorValues {

    private VectorValues() {
    }

    static void read(CollectionSpec spec, Object raw, VectorChange.Builder change) {
        if (spec.getVectorType() == VectorType.SPARSEVEC) {
            if (!(raw instanceof byte[] packed)) {
                throw new InvalidChangeException("column " + spec.getVectorColumn() + " is not a sparsevec");
            }
            change.setSparse(sparse(spec, VectorWireFormat.decodeSparse(packed)));
            return;
        }
        float[] vector = switch (raw) {
            case byte[] bytes -> {
                if (bytes.length % Float.BYTES != 0) {
                    throw new InvalidChangeException("vector bytes of " + spec.getVectorColumn() + " are not float32");
                }
                yield PgVectorText.fromLittleEndianBytes(ByteBuffer.wrap(bytes));
            }
            case List<?> list -> fromList(spec, list);
            default -> throw new InvalidChangeException("column " + spec.getVectorColumn()
                    + " has unsupported type " + raw.getClass().getSimpleName());
        };
        checkDense(spec, vector);
        byte[] bytes = raw instanceof byte[] b ? b : PgVectorText.toLittleEndianBytes(vector);
        change.setVector(ByteBuffer.wrap(bytes));
    }

    private static float[] fromList(CollectionSpec spec, List<?> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new InvalidChangeException("component " + i + " of " + spec.getVectorColumn() + " is null");
            }
            out[i] = n.floatValue();
        }
        return out;
    }

    private static void checkDense(CollectionSpec spec, float[] vector) {
        if (vector.length != spec.getDimensions()) {
            throw new InvalidChangeException("dimension " + vector.length + " of " + spec.getVectorColumn()
                    + " does not match the collection's " + spec.getDimensions());
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new InvalidChangeException("component " + i + " of " + spec.getVectorColumn()
                        + " is " + vector[i] + ": only finite values can be indexed");
            }
        }
    }

    private static SparseVector sparse(CollectionSpec spec, PgVectorText.SparseFloats s) {
        if (s.dimensions() != spec.getDimensions()) {
            throw new InvalidChangeException("dimension " + s.dimensions() + " of " + spec.getVectorColumn()
                    + " does not match the collection's " + spec.getDimensions());
        }
        ByteBuffer indices = ByteBuffer.allocate(s.indices().length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer values = ByteBuffer.allocate(s.values().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < s.indices().length; i++) {
            int index = s.indices()[i];
            if (index < 0 || index >= s.dimensions() || (i > 0 && index <= s.indices()[i - 1])) {
                throw new InvalidChangeException("sparse index " + (index + 1) + " of " + spec.getVectorColumn()
                        + " is out of range 1.." + s.dimensions() + " or not increasing");
            }
            if (!Float.isFinite(s.values()[i])) {
                throw new InvalidChangeException("element " + (s.indices()[i] + 1) + " of " + spec.getVectorColumn()
                        + " is " + s.values()[i] + ": only finite values can be indexed");
            }
            indices.putInt(s.indices()[i]);
            values.putFloat(s.values()[i]);
        }
        return SparseVector.newBuilder().setDimensions(s.dimensions())
                .setIndices(indices.flip()).setValues(values.flip()).build();
    }
}
