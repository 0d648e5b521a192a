package io.ruvector.index.graph;

import io.ruvector.index.kernel.ScalarQuantizer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Int8 codes ({@link ScalarQuantizer}) of every node of one graph, so that searches walk the
 * graph on a quarter of the bytes: at 784 dimensions a float32 row is 49 cache lines fetched from
 * memory for every visited node, its codes 13, and the walk is bound by those fetches (measured
 * in docs/benchmarks.md). Links are still built on float32 scores, and the owner re-scores the
 * candidates a walk returns at full precision, so codes steer the search but never set a
 * distance.
 *
 * <p><b>Fitting.</b> The quantiser is fitted on a sample of the nodes when the codes are first
 * needed and again whenever the graph has doubled since (amortised: the re-encoding adds at most
 * one encode per node per doubling) or when more than {@value #STALE_CLAMPED_PERCENT} % of the
 * nodes added since had at least 1/{@value #CLAMPED_COMPONENTS_DIVISOR} of their components
 * outside the fitted range (the data drifted).
 *
 * <p><b>Threads.</b> {@link #prepare} and {@link #refit} change the array and the quantiser and
 * need the graph's exclusive lock; {@link #encode} of distinct nodes may run in parallel (the
 * graph's parallel add); {@link #scores} reads a consistent pair under the shared lock.
 */
final class TraversalCodes {

    private static final Logger LOG = LoggerFactory.getLogger(TraversalCodes.class);

    /** Nodes a fit reads at most, spread evenly over the candidates. */
    private static final int FIT_SAMPLE = 16_384;
    private static final int STALE_CLAMPED_PERCENT = 5;
    /** Clamped nodes below this never make the codes stale (small graphs, a few outliers). */
    private static final int STALE_CLAMPED_MIN = 64;

    /** A node is out of range when at least 1/this of its components were clamped. */
    private static final int CLAMPED_COMPONENTS_DIVISOR = 32;

    private final int dims;
    private final int clampedComponents;
    private ScalarQuantizer quantizer;
    private byte[] codes = new byte[0];
    private int fittedNodes;
    private final AtomicInteger clampedSinceFit = new AtomicInteger();

    TraversalCodes(int dims) {
        this.dims = dims;
        this.clampedComponents = Math.max(1, dims / CLAMPED_COMPONENTS_DIVISOR);
    }

    /** Whether a fit is due before nodes are added to a graph that will then hold {@code nodes}. */
    boolean needsFit(int nodes) {
        return quantizer == null || nodes >= 2L * fittedNodes
                || clampedSinceFit.get() > Math.max(STALE_CLAMPED_MIN, (long) nodes * STALE_CLAMPED_PERCENT / 100);
    }

    /**
     * Fits the quantiser on a sample of {@code candidates} (the graph's nodes and those about to be
     * added; {@code vectors} copies a node's vector) and re-encodes {@code encodeNow}, in parallel.
     * The codes array must already hold every node ({@link #prepare}).
     */
    void refit(int[] candidates, int nodes, MatrixScoreProvider vectors, int[] encodeNow) {
        long start = System.nanoTime();
        int sampled = Math.min(candidates.length, FIT_SAMPLE);
        float[] sample = new float[sampled * dims];
        int[] offsets = new int[sampled];
        float[] row = new float[dims];
        double step = (double) candidates.length / sampled;
        for (int i = 0; i < sampled; i++) {
            vectors.copyVector(candidates[(int) (i * step)], row);
            System.arraycopy(row, 0, sample, i * dims, dims);
            offsets[i] = i * dims;
        }
        quantizer = ScalarQuantizer.fit(sample, offsets, sampled, dims);
        fittedNodes = Math.max(1, nodes);
        IntStream.of(encodeNow).parallel().forEach(node -> encode(node, vectors, new float[dims]));
        clampedSinceFit.set(0); // re-encoded under the new fit: what they clamp is the sample's range
        LOG.debug("traversal codes fitted on {} of {} nodes, {} re-encoded, in {} ms", sampled, candidates.length,
                encodeNow.length, (System.nanoTime() - start) / 1_000_000);
    }

    /** Makes room for the codes of nodes {@code 0..nodeBound)}. */
    void prepare(int nodeBound) {
        long needed = (long) nodeBound * dims;
        if (needed > codes.length) {
            long grown = Math.max(needed, (long) codes.length + (codes.length >> 1)); // ×1.5, as the matrix
            codes = Arrays.copyOf(codes, (int) Math.min(grown, Integer.MAX_VALUE - 8));
        }
    }

    /** Drops the room beyond nodes {@code 0..nodeBound)} (no node at or above it may exist). */
    void trim(int nodeBound) {
        long needed = (long) nodeBound * dims;
        if (needed < codes.length) {
            codes = Arrays.copyOf(codes, (int) needed);
        }
    }

    /** Encodes {@code node}'s vector; {@code scratch} holds {@code dims} floats, owned by the calling thread. */
    void encode(int node, MatrixScoreProvider vectors, float[] scratch) {
        vectors.copyVector(node, scratch);
        // a few components past the range are outliers the sample missed (sparse data: a pixel
        // the sample never saw lit); a node counts as out of range only when many are
        if (quantizer.encode(scratch, 0, codes, node * dims) >= clampedComponents) {
            clampedSinceFit.incrementAndGet();
        }
    }

    /** Approximate scores of every node against {@code query}, on the codes. */
    BatchScoreFunction scores(GraphSimilarity similarity, float[] query) {
        ScalarQuantizer.Query quantized = quantizer.query(query);
        byte[] rows = codes;
        int width = dims;
        return new BatchScoreFunction() {
            private final double[] scratch = new double[4];

            @Override
            public float similarityTo(int node) {
                return similarity.score(quantized, rows, node * width);
            }

            @Override
            public void similarityTo4(int a, int b, int c, int d, float[] out) {
                similarity.score4(quantized, rows, a * width, b * width, c * width, d * width, out, scratch);
            }
        };
    }

    long ramBytesUsed() {
        return codes.length;
    }
}
