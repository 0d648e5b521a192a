package io.ruvector.index.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jbellis.jvector.graph.NodeArray;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.ruvector.schemas.Metric;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A snapshot writes the neighbour lists as jvector holds them, scores included, and a load
 * rebuilds the very same lists. The first test fails when a jvector upgrade hides the stored
 * scores (snapshots then score every link again: correct, but slow at high dimensions).
 */
class StoredLinksTest {

    private static final int DIMS = 24;
    private static final GraphParams PARAMS = new GraphParams(16, 64, Metric.L2);

    private record Rows(float[] matrix, int dims) implements VectorSource {
    }

    @Test
    void shouldReadEachListAsTheGraphHoldsIt() {
        Rows rows = rows(2_000, 3);
        try (VectorGraph graph = VectorGraph.create(rows, PARAMS, HnswSettings.DEFAULT)) {
            graph.addAll(IntStream.range(0, 2_000).toArray());
            OnHeapGraphIndex jvector = graph.graph();
            StoredLinks stored = StoredLinks.of(jvector);
            assertThat(stored).as("jvector's stored lists are readable").isNotNull();
            for (int level = 0; level <= jvector.getMaxLevel(); level++) {
                for (var nodes = jvector.getNodes(level); nodes.hasNext(); ) {
                    int node = nodes.nextInt();
                    NodeArray links = stored.neighbours(level, node);
                    var published = jvector.getNeighborsIterator(level, node);
                    assertThat(links.size()).isEqualTo(published.size());
                    for (int i = 0; i < links.size(); i++) {
                        assertThat(links.getNode(i)).isEqualTo(published.nextInt());
                        if (i > 0) {
                            assertThat(links.getScore(i)).as("best first").isLessThanOrEqualTo(links.getScore(i - 1));
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldLoadTheSameListsWithTheSameScores() throws Exception {
        Rows rows = rows(2_000, 4);
        try (VectorGraph graph = VectorGraph.create(rows, PARAMS, HnswSettings.DEFAULT)) {
            graph.addAll(IntStream.range(0, 2_000).toArray());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            graph.save(new DataOutputStream(bytes));
            try (VectorGraph loaded = VectorGraph.load(rows, PARAMS, HnswSettings.DEFAULT, ByteBuffer.wrap(bytes.toByteArray()))) {
                StoredLinks before = StoredLinks.of(graph.graph());
                StoredLinks after = StoredLinks.of(loaded.graph());
                assertThat(loaded.graph().getMaxLevel()).isEqualTo(graph.graph().getMaxLevel());
                int compared = 0;
                for (int level = 0; level <= graph.graph().getMaxLevel(); level++) {
                    assertThat(loaded.graph().size(level)).isEqualTo(graph.graph().size(level));
                    for (var nodes = graph.graph().getNodes(level); nodes.hasNext(); ) {
                        int node = nodes.nextInt();
                        NodeArray a = before.neighbours(level, node);
                        NodeArray b = after.neighbours(level, node);
                        assertThat(b.size()).as("node %d on layer %d", node, level).isEqualTo(a.size());
                        for (int i = 0; i < a.size(); i++) {
                            assertThat(b.getNode(i)).isEqualTo(a.getNode(i));
                            assertThat(b.getScore(i)).isEqualTo(a.getScore(i));
                            compared++;
                        }
                    }
                }
                assertThat(compared).isGreaterThan(2_000 * 8);
            }
        }
    }

    private static Rows rows(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] matrix = new float[count * DIMS];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = (float) random.nextGaussian();
        }
        return new Rows(matrix, DIMS);
    }
}
