package io.ruvector.index.graph;

import io.ruvector.index.kernel.NibbleQuantizer;
import io.ruvector.index.kernel.ScalarQuantizer;
import io.ruvector.index.kernel.VectorDistance;
import io.ruvector.schemas.Metric;

/**
 * jvector's similarity scores (higher is closer, used for graph navigation and diversity
 * pruning) computed with our kernels straight from the owner's matrix, so the graph needs no copy
 * of the vectors (L2 and IP with the lanes summed in any order: graph scores only rank). The score is a decreasing function of pgvector's distance, so
 * graph order agrees with pgvector order; final distances are recomputed by the caller.
 *
 * <p>{@link #L2} and {@link #COSINE} are jvector's EUCLIDEAN ({@code 1/(1+d²)}) and COSINE
 * ({@code (1+cos)/2}). For {@link #IP} jvector's DOT_PRODUCT score {@code (1+dot)/2} assumes unit
 * vectors: for others it goes negative, and Vamana's pruning test ({@code score(a,b) > α·score})
 * then inverts. pgvector's {@code <#>} is on raw vectors, so IP uses a positive monotone map of
 * the dot product instead ({@code 1+dot} above zero, {@code 1/(1-dot)} below).
 * A NaN (e.g. cosine of a zero vector) scores 0, the least similar: NaN would corrupt the heaps.
 */
enum GraphSimilarity {

    L2 {
        @Override
        float score(VectorDistance kernel, float[] q, float[] data, int offset, int dims) {
            return fromSquaredL2(kernel.squaredL2AnyOrder(q, data, offset, dims));
        }

        @Override
        float score(ScalarQuantizer.Query q, byte[] codes, int offset) {
            return fromSquaredL2(q.squaredL2(codes, offset));
        }

        @Override
        void score4(ScalarQuantizer.Query q, byte[] codes, int o0, int o1, int o2, int o3, float[] out, double[] scratch) {
            q.squaredL2x4(codes, o0, o1, o2, o3, out);
            for (int i = 0; i < 4; i++) {
                out[i] = fromSquaredL2(out[i]);
            }
        }
    },
    COSINE {
        @Override
        float score(VectorDistance kernel, float[] q, float[] data, int offset, int dims) {
            return fromCosine(kernel.cosineSimilarity(q, data, offset, dims));
        }

        @Override
        float score(ScalarQuantizer.Query q, byte[] codes, int offset) {
            return fromCosine(q.cosineSimilarity(codes, offset));
        }

        @Override
        void score4(ScalarQuantizer.Query q, byte[] codes, int o0, int o1, int o2, int o3, float[] out, double[] scratch) {
            q.cosineSimilarityx4(codes, o0, o1, o2, o3, scratch);
            for (int i = 0; i < 4; i++) {
                out[i] = fromCosine(scratch[i]);
            }
        }
    },
    IP {
        @Override
        float score(VectorDistance kernel, float[] q, float[] data, int offset, int dims) {
            return fromDot(kernel.dotProductAnyOrder(q, data, offset, dims));
        }

        @Override
        float score(ScalarQuantizer.Query q, byte[] codes, int offset) {
            return fromDot(q.dotProduct(codes, offset));
        }

        @Override
        void score4(ScalarQuantizer.Query q, byte[] codes, int o0, int o1, int o2, int o3, float[] out, double[] scratch) {
            q.dotProductx4(codes, o0, o1, o2, o3, out);
            for (int i = 0; i < 4; i++) {
                out[i] = fromDot(out[i]);
            }
        }
    };

    /** What 4-bit traversal codes compute for this metric ({@link NibbleQuantizer.Query}). */
    NibbleQuantizer.Measure nibbleMeasure() {
        return switch (this) {
            case L2 -> NibbleQuantizer.Measure.SQUARED_L2;
            case COSINE -> NibbleQuantizer.Measure.COSINE;
            case IP -> NibbleQuantizer.Measure.DOT;
        };
    }

    /** The score of a {@link #nibbleMeasure()} value (a squared distance, a cosine or a dot product). */
    float fromMeasure(double value) {
        return switch (this) {
            case L2 -> fromSquaredL2((float) value);
            case COSINE -> fromCosine(value);
            case IP -> fromDot((float) value);
        };
    }

    private static float fromSquaredL2(float squared) {
        return squared == squared ? 1f / (1f + squared) : 0f;
    }

    private static float fromCosine(double cosine) {
        return cosine == cosine ? (float) ((1 + cosine) / 2) : 0f;
    }

    private static float fromDot(float dot) {
        if (dot != dot) {
            return 0f;
        }
        return dot >= 0 ? 1f + dot : 1f / (1f - dot);
    }

    /** Similarity of {@code q} to row {@code data[offset..offset+dims)}: higher is closer, never NaN. */
    abstract float score(VectorDistance kernel, float[] q, float[] data, int offset, int dims);

    /** The same similarity on the approximate vector of the int8 code row at {@code codes[offset..)}. */
    abstract float score(ScalarQuantizer.Query q, byte[] codes, int offset);

    /**
     * {@link #score(ScalarQuantizer.Query, byte[], int)} of the four code rows at {@code o0..o3},
     * into {@code out[0..4)}; {@code scratch} holds 4 doubles. Bit for bit four single calls (the
     * same terms, summed in the same lanes), so a walk takes the same path either way.
     */
    abstract void score4(ScalarQuantizer.Query q, byte[] codes, int o0, int o1, int o2, int o3, float[] out,
                         double[] scratch);

    static GraphSimilarity of(Metric metric) {
        return switch (metric) {
            case L2 -> L2;
            case COSINE -> COSINE;
            case IP -> IP;
            case L1 -> throw new IllegalArgumentException("no graph for metric L1: L1 searches are exact");
        };
    }
}
