package io.ruvector.compose.it;

import io.ruvector.cdc.converter.PgVectorText;
import io.ruvector.schemas.VectorChange;

import java.util.SplittableRandom;

/** Vector helpers for tests: pgvector text of float32 values and the float32 of a change. */
final class Floats {

    private Floats() {
    }

    static float[] random(SplittableRandom random, int dimensions) {
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1) * (random.nextInt(4) == 0 ? 1e-3f : 10f);
        }
        return v;
    }

    /** pgvector text; Float.toString round-trips float32 exactly through pgvector's float4 parser. */
    static String text(float[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append(v[i]);
        }
        return s.append(']').toString();
    }

    /** pgvector's text form back to floats. */
    static float[] parse(String text) {
        return PgVectorText.parseDense(text);
    }

    static float[] of(VectorChange change) {
        return PgVectorText.fromLittleEndianBytes(change.getVector());
    }
}
