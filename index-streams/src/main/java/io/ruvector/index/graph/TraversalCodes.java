package io.ruvector.index.graph;

import io.ruvector.index.kernel.NibbleQuantizer;
import io.ruvector.index.kernel.QuantizerRange;
import io.ruvector.index.kernel.ScalarQuantizer;
import io.ruvector.index.kernel.VectorDistance;
import io.ruvector.index.kernel.VectorDistances;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Codes of every node of one graph, so that searches walk the graph on a fraction of the bytes:
 * at 784 dimensions a float32 row is 49 cache lines fetched from memory for every visited node,
 * its int8 codes ({@link ScalarQuantizer}) 13, its 4-bit codes ({@link NibbleQuantizer}, with one
 * float of precomputed row term) 7, and the walk is bound by those fetches (measured in
 * docs/benchmarks.md). Links are still built on float32 scores, and the owner re-scores the
 * candidates a walk returns at full precision, so codes steer the search but never set a
 * distance.
 *
 * <p><b>Fitting.</b> The quantiser is fitted on a sample of the nodes when the codes are first
 * needed and again whenever the graph has doubled since a fit over fewer than
 * {@value #SETTLED_FIT} nodes (amortised: the re-encoding adds at most one encode per node per
 * doubling) or when more than {@value #STALE_CLAMPED_PERCENT} % of the
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
    /** The setting: 8 (always int8) or 4 (4-bit where a fit's sample ranks well enough on them). */
    private final int bits;
    private final GraphSimilarity similarity;
    private final int clampedComponents;
    private int rowBytes;
    /** Exactly one of the two is set once fitted: 4-bit codes ({@link #nibbles}, with {@link #terms}) or int8; chosen at each fit. */
    private ScalarQuantizer quantizer;
    private NibbleQuantizer nibbles;
    private byte[] codes = new byte[0];
    /** 4-bit only: each node's {@link NibbleQuantizer#rowTerm}. */
    private float[] terms = new float[0];
    /** Nodes the arrays have room for. */
    private int capacity;
    private int fittedNodes;
    private final AtomicInteger clampedSinceFit = new AtomicInteger();
    /** Fits so far (tests: which growth refits). */
    private int fits;

    /** Codes of at most {@code bits} (8 or 4) per component for a graph ranked by {@code similarity}. */
    TraversalCodes(int dims, int bits, GraphSimilarity similarity) {
        if (bits != 8 && bits != 4) {
            throw new IllegalArgumentException("traversal codes are 8 or 4 bits, not " + bits);
        }
        this.dims = dims;
        this.bits = bits;
        this.rowBytes = dims;
        this.similarity = similarity;
        this.clampedComponents = Math.max(1, dims / CLAMPED_COMPONENTS_DIVISOR);
    }

    /** Whether a fit is due before nodes are added to a graph that will then hold {@code nodes}. */
    boolean needsFit(int nodes) {
        return (quantizer == null && nibbles == null) || (nodes >= 2L * fittedNodes && fittedNodes < SETTLED_FIT)
                || clampedSinceFit.get() > Math.max(STALE_CLAMPED_MIN, (long) nodes * STALE_CLAMPED_PERCENT / 100);
    }

    /**
     * A fit over at least this many nodes is not redone only because the graph doubled: each
     * component's range from thousands of rows is what a larger sample finds, give or take the
     * rare extreme that the drift rule catches. Every refit re-encodes every node under the
     * graph's exclusive lock — at 32,000 × 784 it held the stream thread 230–430 ms (measured
     * while `bench search` probed freshness), and its cost grows with the graph.
     */
    private static final int SETTLED_FIT = FIT_SAMPLE / 2;

    /**
     * Fits the quantiser on a sample of {@code candidates} (the graph's nodes and those about to be
     * added; {@code vectors} copies a node's vector) and re-encodes {@code encodeNow}, in parallel.
     * The codes array must already hold every node ({@link #prepare}). With 4 bits allowed, the
     * fit first checks that 4-bit codes rank the sample's neighbours well ({@link #nibblesRankWell});
     * where they do not (e.g. tight clusters whose neighbours differ by less than a 16th of a
     * component's range), it takes int8.
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
        NibbleQuantizer fourBits = bits == 4 ? NibbleQuantizer.fit(sample, offsets, sampled, dims) : null;
        double overlap = fourBits == null ? Double.NaN : nibblesRankWell(fourBits, sample, sampled);
        boolean useNibbles = overlap >= NIBBLE_MIN_OVERLAP;
        boolean wasNibbles = nibble();
        if (useNibbles) {
            nibbles = fourBits;
            quantizer = null;
        } else {
            quantizer = ScalarQuantizer.fit(sample, offsets, sampled, dims);
            nibbles = null;
        }
        if (useNibbles != wasNibbles) {
            rowBytes = useNibbles ? NibbleQuantizer.rowBytes(dims) : dims;
            codes = new byte[(int) Math.min((long) capacity * rowBytes, Integer.MAX_VALUE - 8)];
            terms = useNibbles ? new float[capacity] : new float[0];
        }
        fittedNodes = Math.max(1, nodes);
        fits++;
        IntStream.of(encodeNow).parallel().forEach(node -> encode(node, vectors, new float[dims]));
        clampedSinceFit.set(0); // re-encoded under the new fit: what they clamp is the sample's range
        LOG.debug("traversal codes fitted on {} of {} nodes ({}, 4-bit top-10 overlap {}), {} re-encoded, in {} ms",
                sampled, candidates.length, useNibbles ? "4-bit" : "int8", overlap, encodeNow.length,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** 4-bit codes are used when their top 10 in the fit's sample keeps at least this share of the exact top 10. */
    static final double NIBBLE_MIN_OVERLAP = 0.95;
    /** Rows of the sample the 4-bit check ranks, and queries among them. */
    private static final int CHECK_ROWS = 1024;
    private static final int CHECK_QUERIES = 24;
    private static final int CHECK_TOP = 10;
    private static final VectorDistance CHECK_KERNEL = VectorDistances.scalar();

    /**
     * The mean share of each check query's exact top 10 (by this graph's similarity, among the
     * first {@value #CHECK_ROWS} sample rows) that 4-bit codes also put in their top 10. A denser
     * sample is a harder test; 1,024 rows measured 0.99 on Fashion-MNIST, where 4-bit walks
     * matched int8's recall, and 0.89 on 128-dimension gaussian clusters, where they lost
     * ({@code PartitionedSearchProbe -Dprobe.quant=1024}).
     */
    private double nibblesRankWell(NibbleQuantizer fourBits, float[] sample, int sampled) {
        int rows = Math.min(sampled, CHECK_ROWS);
        int queries = Math.min(CHECK_QUERIES, rows / (2 * CHECK_TOP));
        if (queries == 0) {
            return 1.0; // too few rows to tell; the next fit (at twice the nodes) checks again
        }
        // the rows as 4-bit codes stand for them, decoded and scored in plain Java: the same
        // ranking as the 4-bit kernels up to rounding. The first fit of a JVM runs before any
        // link has warmed up the SIMD kernels, and interpreted Vector API code made it 2.8 s on
        // the stream thread (measured); plain loops are compiled within the check.
        byte[] code = new byte[NibbleQuantizer.rowBytes(dims)];
        float[] decoded = new float[rows * dims];
        for (int r = 0; r < rows; r++) {
            fourBits.encode(sample, r * dims, code, 0);
            fourBits.decode(code, 0, decoded, r * dims);
        }
        float[] exact = new float[rows];
        float[] approximate = new float[rows];
        float[] query = new float[dims];
        int kept = 0;
        for (int qi = 0; qi < queries; qi++) {
            int self = qi * (rows / queries);
            System.arraycopy(sample, self * dims, query, 0, dims);
            for (int r = 0; r < rows; r++) {
                exact[r] = r == self ? Float.NEGATIVE_INFINITY : similarity.score(CHECK_KERNEL, query, sample, r * dims, dims);
                approximate[r] = r == self ? Float.NEGATIVE_INFINITY
                        : similarity.score(CHECK_KERNEL, query, decoded, r * dims, dims);
            }
            int[] truth = best(exact, CHECK_TOP);
            int[] found = best(approximate, CHECK_TOP);
            for (int t : truth) {
                for (int f : found) {
                    if (t == f) {
                        kept++;
                        break;
                    }
                }
            }
        }
        return (double) kept / (queries * CHECK_TOP);
    }

    /** The indices of the {@code top} highest scores (ties by index). */
    private static int[] best(float[] scores, int top) {
        int[] best = new int[top];
        Arrays.fill(best, -1);
        for (int i = 0; i < scores.length; i++) {
            int at = top;
            while (at > 0 && (best[at - 1] < 0 || scores[i] > scores[best[at - 1]])) {
                at--;
            }
            if (at < top) {
                System.arraycopy(best, at, best, at + 1, top - at - 1);
                best[at] = i;
            }
        }
        return best;
    }

    /** Makes room for the codes of nodes {@code 0..nodeBound)}. */
    void prepare(int nodeBound) {
        if (nodeBound > capacity) {
            long grown = Math.max(nodeBound, (long) capacity + (capacity >> 1)); // ×1.5, as the matrix
            capacity = (int) Math.min(grown, (Integer.MAX_VALUE - 8) / rowBytes);
            resize();
        }
    }

    /** Drops the room beyond nodes {@code 0..nodeBound)} (no node at or above it may exist). */
    void trim(int nodeBound) {
        if (nodeBound < capacity) {
            capacity = nodeBound;
            resize();
        }
    }

    private void resize() {
        codes = Arrays.copyOf(codes, capacity * rowBytes);
        if (nibble()) {
            terms = Arrays.copyOf(terms, capacity);
        }
    }

    /** Encodes {@code node}'s vector; {@code scratch} holds {@code dims} floats, owned by the calling thread. */
    void encode(int node, MatrixScoreProvider vectors, float[] scratch) {
        vectors.copyVector(node, scratch);
        // a few components past the range are outliers the sample missed (sparse data: a pixel
        // the sample never saw lit); a node counts as out of range only when many are
        int offset = node * rowBytes;
        int clamped;
        if (!nibble()) {
            clamped = quantizer.encode(scratch, 0, codes, offset);
        } else {
            clamped = nibbles.encode(scratch, 0, codes, offset);
            terms[node] = nibbles.rowTerm(similarity.nibbleMeasure(), codes, offset);
        }
        if (clamped >= clampedComponents) {
            clampedSinceFit.incrementAndGet();
        }
    }

    /** Approximate scores of every node against {@code query}, on the codes. */
    BatchScoreFunction scores(float[] query) {
        if (nibble()) {
            return nibbleScores(query);
        }
        ScalarQuantizer.Query quantized = quantizer.query(query);
        byte[] rows = codes;
        int width = rowBytes;
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

    private BatchScoreFunction nibbleScores(float[] query) {
        NibbleQuantizer.Query quantized = nibbles.query(query, similarity.nibbleMeasure());
        byte[] rows = codes;
        float[] rowTerms = terms;
        int width = rowBytes;
        return new BatchScoreFunction() {
            private final double[] values = new double[4];

            @Override
            public float similarityTo(int node) {
                return similarity.fromMeasure(quantized.value(rows, node * width, rowTerms[node]));
            }

            @Override
            public void similarityTo4(int a, int b, int c, int d, float[] out) {
                quantized.value4(rows, a * width, b * width, c * width, d * width, rowTerms[a], rowTerms[b],
                        rowTerms[c], rowTerms[d], values);
                for (int i = 0; i < 4; i++) {
                    out[i] = similarity.fromMeasure(values[i]);
                }
            }
        };
    }

    /**
     * Writes the fit and the codes of nodes {@code 0..nodeBound)} (every node of the graph is
     * below it), for {@link #read}: a restart then takes the codes over instead of fitting and
     * encoding every node again. Writes only a zero byte when the codes were never fitted.
     */
    void save(java.io.DataOutput out, int nodeBound) throws java.io.IOException {
        if (quantizer == null && nibbles == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(bitsInUse());
        out.writeInt(fittedNodes);
        QuantizerRange range = nibble() ? nibbles.range() : quantizer.range();
        writeFloats(out, range.minimums(), dims);
        writeFloats(out, range.steps(), dims);
        int bound = Math.min(nodeBound, capacity);
        out.writeInt(bound);
        out.write(codes, 0, bound * rowBytes);
        if (nibble()) {
            writeFloats(out, terms, bound);
        }
    }

    private static void writeFloats(java.io.DataOutput out, float[] values, int count) throws java.io.IOException {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(count * Float.BYTES);
        bytes.asFloatBuffer().put(values, 0, count);
        out.write(bytes.array());
    }

    private static float[] readFloats(java.nio.ByteBuffer in, int count) {
        float[] values = new float[count];
        in.asFloatBuffer().get(values);
        in.position(in.position() + count * Float.BYTES);
        return values;
    }

    /** Codes as {@link #save} wrote them. */
    record Saved(int bits, int fittedNodes, QuantizerRange range, int nodeBound, byte[] codes, float[] terms) {
    }

    /**
     * Reads what {@link #save} wrote for a graph of {@code dims} dimensions, advancing {@code in}
     * past it, whether or not the caller keeps it; null when none were saved.
     *
     * @throws IllegalArgumentException when the bytes cannot be such codes (damaged or of another version)
     * @throws java.nio.BufferUnderflowException when they end too early
     */
    static Saved read(java.nio.ByteBuffer in, int dims) {
        int bits = in.get();
        if (bits == 0) {
            return null;
        }
        if (bits != 8 && bits != 4) {
            throw new IllegalArgumentException("saved traversal codes of " + bits + " bits");
        }
        int fitted = in.getInt();
        QuantizerRange range = new QuantizerRange(readFloats(in, dims), readFloats(in, dims));
        int bound = in.getInt();
        int width = bits == 4 ? NibbleQuantizer.rowBytes(dims) : dims;
        if (bound < 0 || fitted < 1 || (long) bound * width > in.remaining()) {
            throw new IllegalArgumentException("saved traversal codes of " + bound + " nodes do not fit the snapshot");
        }
        byte[] codes = new byte[bound * width];
        in.get(codes);
        float[] terms = bits == 4 ? readFloats(in, bound) : null;
        return new Saved(bits, fitted, range, bound, codes, terms);
    }

    /**
     * Takes over {@code saved} codes (null: none) covering nodes {@code 0..nodeBound)} of the
     * graph, when this setting allows their bits (a setting of 4 bits allows int8, which a fit may
     * choose); false, and nothing changed, otherwise (the caller fits).
     */
    boolean restore(Saved saved, int nodeBound) {
        if (saved == null || (saved.bits() == 4 && bits == 8) || saved.nodeBound() < nodeBound) {
            return false;
        }
        if (saved.bits() == 4) {
            nibbles = NibbleQuantizer.of(saved.range());
            quantizer = null;
            rowBytes = NibbleQuantizer.rowBytes(dims);
            terms = saved.terms();
        } else {
            quantizer = ScalarQuantizer.of(saved.range());
            nibbles = null;
            rowBytes = dims;
            terms = new float[0];
        }
        codes = saved.codes();
        capacity = saved.nodeBound();
        fittedNodes = saved.fittedNodes();
        clampedSinceFit.set(0);
        return true;
    }

    /** Fits so far, taken-over saved codes not counted. */
    int fits() {
        return fits;
    }

    /** Bits per component of the codes now: 4 or 8. */
    int bitsInUse() {
        return nibble() ? 4 : 8;
    }

    /** Whether the codes are 4-bit. */
    private boolean nibble() {
        return nibbles != null;
    }

    long ramBytesUsed() {
        return codes.length + (long) terms.length * Float.BYTES;
    }
}
