package io.ruvector.index.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.kernel.VectorDistances;
import io.ruvector.schemas.Metric;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Graphs searched on traversal codes: recall against float32 walks, 4-bit codes where they rank
 * the rows well and int8 where they do not, a refit when later rows leave the fitted range, and
 * codes rebuilt for a loaded graph.
 */
class TraversalCodesTest {

    private static final int DIMS = 96;
    /** Low-rank rows need more components than {@link #DIMS} for 4-bit codes to rank them well (the noise averages out). */
    private static final int LOW_RANK_DIMS = 512;
    private static final int K = 10;
    private static final HnswSettings CODES = HnswSettings.builder().traversalCodesMinDims(64).build();
    private static final HnswSettings FLOATS = HnswSettings.builder().traversalCodesMinDims(0).build();
    private static final GraphParams PARAMS = new GraphParams(16, 64, Metric.L2);

    /** Rows in a preallocated matrix, node = row. */
    private record Rows(float[] matrix, int dims) implements VectorSource {
    }

    @Test
    void shouldFindTheExactTop10AsOftenAsAFloat32WalkDoes() {
        SplittableRandom random = new SplittableRandom(11);
        int rows = 4_000;
        float[] data = clustered(random, rows + 100, 0f); // the last 100 are the queries
        Rows source = new Rows(data, DIMS);
        try (VectorGraph codes = VectorGraph.create(source, PARAMS, CODES);
             VectorGraph floats = VectorGraph.create(source, PARAMS, FLOATS)) {
            int[] all = IntStream.range(0, rows).toArray();
            codes.addAll(all);
            floats.addAll(all);
            // tight clusters: neighbours differ by less than a 16th of a component's range, so int8
            assertThat(codes.traversalCodeBits()).isEqualTo(8);
            assertThat(codes.traversalCodeBytes()).isGreaterThanOrEqualTo((long) rows * DIMS);
            assertThat(floats.traversalCodeBytes()).isZero();
            float[][] queries = split(data, rows, 100);
            double withCodes = recall(codes, source, rows, queries, 40);
            double withFloats = recall(floats, source, rows, queries, 40);
            assertThat(withCodes).isGreaterThanOrEqualTo(0.95).isGreaterThanOrEqualTo(withFloats - 0.02);
        }
    }

    @Test
    void shouldWalkOnFourBitCodesWhereTheyRankTheRowsWell() {
        SplittableRandom random = new SplittableRandom(14);
        int rows = 4_000;
        float[] data = lowRank(random, rows + 100); // the last 100 are the queries
        Rows source = new Rows(data, LOW_RANK_DIMS);
        try (VectorGraph codes = VectorGraph.create(source, PARAMS, CODES);
             VectorGraph int8 = VectorGraph.create(source, PARAMS, HnswSettings.builder().traversalCodesMinDims(64)
                     .traversalCodeBits(8).build());
             VectorGraph floats = VectorGraph.create(source, PARAMS, FLOATS)) {
            int[] all = IntStream.range(0, rows).toArray();
            codes.addAll(all);
            int8.addAll(all);
            floats.addAll(all);
            assertThat(codes.traversalCodeBits()).isEqualTo(4);
            assertThat(int8.traversalCodeBits()).isEqualTo(8);
            // half a byte per component and one float of row term per node
            long fourBitRows = (long) rows * (LOW_RANK_DIMS / 2 + 4);
            assertThat(codes.traversalCodeBytes()).isBetween(fourBitRows, fourBitRows * 3 / 2);
            assertThat(int8.traversalCodeBytes()).isGreaterThanOrEqualTo((long) rows * LOW_RANK_DIMS);
            float[][] queries = split(data, rows, 100, LOW_RANK_DIMS);
            double withCodes = recall(codes, source, rows, queries, 40);
            double withFloats = recall(floats, source, rows, queries, 40);
            assertThat(withCodes).isGreaterThanOrEqualTo(0.95).isGreaterThanOrEqualTo(withFloats - 0.02);
        }
    }

    @Test
    void shouldAnswerTheSameWhetherNeighboursAreScoredFourAtATimeOrOneByOne() {
        SplittableRandom random = new SplittableRandom(13);
        int rows = 2_000;
        float[] clustered = clustered(random, rows + 30, 0f);
        float[] lowRank = lowRank(random, rows + 30);
        for (Rows source : new Rows[] {new Rows(clustered, DIMS), new Rows(lowRank, LOW_RANK_DIMS)}) {
            for (Metric metric : new Metric[] {Metric.L2, Metric.COSINE, Metric.IP}) {
                try (VectorGraph graph = VectorGraph.create(source, new GraphParams(16, 64, metric), CODES)) {
                    graph.addAll(IntStream.range(0, rows).toArray());
                    // both code widths walk: int8 on the clusters, 4-bit on the low-rank rows
                    assertThat(graph.traversalCodeBits()).isEqualTo(source.dims() == DIMS ? 8 : 4);
                    assertFourAtATimeAsOneByOne(graph, split(source.matrix(), rows, 30, source.dims()),
                            metric + " " + graph.traversalCodeBits() + "-bit");
                }
            }
        }
    }

    private static void assertFourAtATimeAsOneByOne(VectorGraph graph, float[][] queries, String what) {
        for (float[] query : queries) {
            for (int ef : new int[] {1, 10, 40}) {
                assertThat(graph.search(query, ef, node -> true)).as(what + " ef " + ef)
                        .containsExactly(graph.searchOneByOne(query, ef, node -> true));
            }
            assertThat(graph.search(query, 10, node -> node % 3 == 0)).as(what + " filtered")
                    .containsExactly(graph.searchOneByOne(query, 10, node -> node % 3 == 0));
        }
    }

    @Test
    void shouldRefitWhenLaterRowsLeaveTheFittedRange() {
        SplittableRandom random = new SplittableRandom(12);
        int first = 2_000;
        int rows = 4_000;
        float[] matrix = new float[rows * DIMS];
        // the first half near the origin, the second 20 units away: outside every fitted range
        System.arraycopy(clustered(random, first, 0f), 0, matrix, 0, first * DIMS);
        float[] shifted = clustered(random, rows - first + 50, 20f); // the last 50 are the queries
        System.arraycopy(shifted, 0, matrix, first * DIMS, (rows - first) * DIMS);
        Rows source = new Rows(matrix, DIMS);
        try (VectorGraph graph = VectorGraph.create(source, PARAMS, CODES)) {
            graph.addAll(IntStream.range(0, first).toArray());
            for (int batch = first; batch < rows; batch += 256) { // as the index links: batches of pending rows
                graph.addAll(IntStream.range(batch, Math.min(rows, batch + 256)).toArray());
            }
            // clamped to the old range, the shifted rows' codes would all read as one corner point
            double recall = recall(graph, source, rows, split(shifted, rows - first, 50), 40);
            assertThat(recall).as("recall among rows added outside the first fit").isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void shouldLoadAGraphWithItsCodesAndScoresWithoutReadingAVector() throws Exception {
        SplittableRandom random = new SplittableRandom(13);
        int rows = 3_000;
        int later = 1_000;
        float[] data = clustered(random, rows + later + 30, 0f);
        Rows source = new Rows(data, DIMS);
        float[][] queries = split(data, rows + later, 30);
        try (VectorGraph graph = VectorGraph.create(source, PARAMS, CODES)) {
            graph.addAll(IntStream.range(0, rows).toArray());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            graph.save(new DataOutputStream(bytes));
            CountingRows counted = new CountingRows(data, DIMS);
            try (VectorGraph loaded = VectorGraph.load(counted, PARAMS, CODES, ByteBuffer.wrap(bytes.toByteArray()))) {
                // the saved link scores and codes are taken over: nothing scored, fitted or encoded
                assertThat(counted.reads).as("matrix reads while loading").isZero();
                assertThat(loaded.traversalCodeBits()).isEqualTo(graph.traversalCodeBits());
                assertThat(loaded.traversalCodeBytes()).isGreaterThanOrEqualTo((long) rows * DIMS * graph.traversalCodeBits() / 8);
                for (float[] q : queries) {
                    assertThat(loaded.search(q, 40, n -> true)).as("the same walk on the same codes")
                            .containsExactly(graph.search(q, 40, n -> true));
                }
                // inserts after the load prune by the loaded scores: zero scores would wreck the new links
                loaded.addAll(IntStream.range(rows, rows + later).toArray());
                assertThat(recall(loaded, source, rows + later, queries, 40)).isGreaterThanOrEqualTo(0.95);
            }
        }
    }

    @Test
    void shouldRefitOnGrowthOnlyWhileTheLastFitSawFewNodes() {
        SplittableRandom random = new SplittableRandom(17);
        int small = 2_000;
        int settled = 9_000;
        float[] data = clustered(random, settled * 2 + 500, 0f);
        Rows source = new Rows(data, DIMS);
        try (VectorGraph graph = VectorGraph.create(source, PARAMS, CODES)) {
            graph.addAll(IntStream.range(0, small).toArray());
            assertThat(graph.traversalCodeFits()).isEqualTo(1);
            graph.addAll(IntStream.range(small, 2 * small).toArray());
            assertThat(graph.traversalCodeFits()).as("doubled since a fit over 2,000 nodes").isEqualTo(2);
            graph.addAll(IntStream.range(2 * small, settled).toArray());
            assertThat(graph.traversalCodeFits()).as("doubled again").isEqualTo(3);
            // fitted over 9,000 nodes: more of the same data doubles the graph without a refit
            for (int from = settled; from < settled * 2 + 500; from += 500) {
                graph.addAll(IntStream.range(from, from + 500).toArray());
            }
            assertThat(graph.traversalCodeFits()).as("no refit past a settled fit").isEqualTo(3);
        }
    }

    /** Rows that count how often a graph asks for the matrix (once per scoring or encoding pass). */
    private static final class CountingRows implements VectorSource {
        private final float[] matrix;
        private final int dims;
        int reads;

        CountingRows(float[] matrix, int dims) {
            this.matrix = matrix;
            this.dims = dims;
        }

        @Override
        public float[] matrix() {
            reads++;
            return matrix;
        }

        @Override
        public int dims() {
            return dims;
        }
    }

    /** Recall@10 of the walk's {@code ef} candidates re-scored exactly, as the index does. */
    private static double recall(VectorGraph graph, Rows source, int rows, float[][] queries, int ef) {
        int found = 0;
        for (float[] q : queries) {
            int[] candidates = graph.search(q, ef, n -> true);
            Set<Integer> got = new HashSet<>();
            for (int n : topK(source, q, candidates)) {
                got.add(n);
            }
            for (int n : topK(source, q, IntStream.range(0, rows).toArray())) {
                if (got.contains(n)) {
                    found++;
                }
            }
        }
        return found / (double) (K * queries.length);
    }

    private static int[] topK(Rows source, float[] q, int[] nodes) {
        var kernel = VectorDistances.get();
        long[] keyed = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            float d = kernel.squaredL2(q, source.matrix(), nodes[i] * source.dims(), source.dims());
            keyed[i] = ((long) Float.floatToIntBits(d) << 32) | nodes[i]; // non-negative floats sort as their bits
        }
        Arrays.sort(keyed);
        return Arrays.stream(keyed).limit(K).mapToInt(x -> (int) x).toArray();
    }

    /** {@code rows} points around 20 random centres, every component shifted by {@code shift}. */
    private static float[] clustered(SplittableRandom random, int rows, float shift) {
        float[][] centres = new float[20][DIMS];
        for (float[] c : centres) {
            for (int i = 0; i < DIMS; i++) {
                c[i] = (float) random.nextDouble(-1, 1);
            }
        }
        float[] out = new float[rows * DIMS];
        for (int r = 0; r < rows; r++) {
            float[] c = centres[random.nextInt(centres.length)];
            for (int i = 0; i < DIMS; i++) {
                out[r * DIMS + i] = shift + c[i] + (float) (random.nextGaussian() * 0.3);
            }
        }
        return out;
    }

    /**
     * {@code rows} points of {@link #LOW_RANK_DIMS} components on a random 8-dimensional subspace
     * (plus a little noise): neighbours far apart in many components, as images are, so 4-bit codes
     * rank them well.
     */
    private static float[] lowRank(SplittableRandom random, int rows) {
        int rank = 8;
        int dims = LOW_RANK_DIMS;
        float[][] basis = new float[rank][dims];
        for (float[] b : basis) {
            for (int i = 0; i < dims; i++) {
                b[i] = (float) random.nextGaussian();
            }
        }
        float[] out = new float[rows * dims];
        for (int r = 0; r < rows; r++) {
            for (float[] b : basis) {
                float z = (float) random.nextGaussian();
                for (int i = 0; i < dims; i++) {
                    out[r * dims + i] += z * b[i];
                }
            }
            for (int i = 0; i < dims; i++) {
                out[r * dims + i] += (float) (random.nextGaussian() * 0.05);
            }
        }
        return out;
    }

    /** Rows {@code from..from+count)} of {@code flat} as query vectors (never added to a graph). */
    private static float[][] split(float[] flat, int from, int count) {
        return split(flat, from, count, DIMS);
    }

    private static float[][] split(float[] flat, int from, int count, int dims) {
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            out[i] = Arrays.copyOfRange(flat, (from + i) * dims, (from + i + 1) * dims);
        }
        return out;
    }
}
