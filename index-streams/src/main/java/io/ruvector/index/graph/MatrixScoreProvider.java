package io.ruvector.index.graph;

import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.ruvector.index.kernel.VectorDistance;
import io.ruvector.index.kernel.ScalarQuantizer;

/**
 * jvector's source of exact scores, read straight from the owner's matrix with our kernels
 * (jvector's own {@code randomAccessScoreProvider} would need every vector as a jvector
 * {@code VectorFloat}, i.e. a second copy). Thread-safe: its only mutable state is one scratch
 * row per thread, and jvector calls it from several threads during a parallel build.
 */
final class MatrixScoreProvider implements BuildScoreProvider {

    private final VectorSource vectors;
    private final GraphSimilarity similarity;
    private final VectorDistance kernel;
    /**
     * Each thread's copy of the node a diversity function scores from: jvector asks for one function
     * per candidate of every pruning pass and drops it after that candidate's check, so a fresh row
     * per function (allocated, zeroed, copied) was a tenth of a 784-dimension link's time.
     */
    private final ThreadLocal<float[]> diversityRows;

    MatrixScoreProvider(VectorSource vectors, GraphSimilarity similarity, VectorDistance kernel) {
        this.vectors = vectors;
        this.similarity = similarity;
        this.kernel = kernel;
        this.diversityRows = ThreadLocal.withInitial(() -> new float[vectors.dims()]);
    }

    int dims() {
        return vectors.dims();
    }

    @Override
    public boolean isExact() {
        return true;
    }

    /** Used by jvector's compaction and quantisation only, neither of which the in-memory graph runs. */
    @Override
    public VectorFloat<?> approximateCentroid() {
        throw new UnsupportedOperationException("the in-memory graph never asks for a centroid");
    }

    @Override
    public SearchScoreProvider searchProviderFor(VectorFloat<?> vector) {
        float[] query = new float[vector.length()];
        for (int i = 0; i < query.length; i++) {
            query[i] = vector.get(i);
        }
        return forQuery(query);
    }

    @Override
    public SearchScoreProvider searchProviderFor(int node) {
        return new DefaultSearchScoreProvider(scoreFunctionFor(node));
    }

    @Override
    public SearchScoreProvider diversityProviderFor(int node) {
        return new DefaultSearchScoreProvider(scoreFunctionFor(node));
    }

    /**
     * Scores against {@code node} from this thread's reused copy of its row: the function is valid
     * until the same thread asks for the next one (jvector's pruning uses each before asking again).
     */
    @Override
    public ScoreFunction diversityScoreFunctionFor(int node) {
        float[] row = diversityRows.get();
        copyVector(node, row);
        return queryScores(row);
    }

    /** Scores every node against {@code query} (owned by the caller, not modified). */
    SearchScoreProvider forQuery(float[] query) {
        return new DefaultSearchScoreProvider(queryScores(query));
    }

    /** Exact scores of every node against {@code query}; the matrix is read once, so only while it cannot grow. */
    ScoreFunction.ExactScoreFunction queryScores(float[] query) {
        float[] matrix = vectors.matrix(); // stable for the whole operation: the owner's lock excludes growth
        int dims = vectors.dims();
        VectorSource.CompressedRows compressed = vectors.compressed();
        if (compressed == null) {
            return node -> similarity.score(kernel, query, matrix, node * dims, dims);
        }
        // a cold tier: full rows through the slot map, compressed ones on their codes
        int[] slots = compressed.slots();
        byte[] codes = compressed.codes();
        ScalarQuantizer.Query quantized = compressed.quantizer().query(query);
        return node -> {
            int slot = slots[node];
            return slot >= 0 ? similarity.score(kernel, query, matrix, slot * dims, dims)
                    : similarity.score(quantized, codes, ~slot * dims);
        };
    }

    private ScoreFunction.ExactScoreFunction scoreFunctionFor(int node) {
        // The kernels read the left operand from index 0, so the node's row is copied once per
        // function: the cost of one comparison, and every function serves at least one.
        float[] row = new float[vectors.dims()];
        copyVector(node, row);
        return queryScores(row);
    }

    /** Copies {@code node}'s vector to {@code dst[0..dims)}: its matrix row, or a cold node's decoded codes. */
    void copyVector(int node, float[] dst) {
        int dims = vectors.dims();
        VectorSource.CompressedRows compressed = vectors.compressed();
        int slot = compressed == null ? node : compressed.slots()[node];
        if (slot >= 0) {
            System.arraycopy(vectors.matrix(), slot * dims, dst, 0, dims);
        } else {
            compressed.quantizer().decode(compressed.codes(), ~slot * dims, dst, 0);
        }
    }
}
