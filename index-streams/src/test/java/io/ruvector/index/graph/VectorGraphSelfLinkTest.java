package io.ruvector.index.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.schemas.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * No node links to itself after parallel inserts of reused node ids. jvector 4.0.2 searches a
 * layer above 0 for a new node's neighbours accepting the node itself, and a removed id keeps
 * its old completion time, so once it is inserted again (the index reuses its ordinals) and a
 * concurrent insert links it, that search finds it and links it to itself: an assertion in
 * jvector (which the tests switch off for that class, see the root pom), a wasted link slot
 * without one. {@link VectorGraph#addAll} removes such links, and so does {@link VectorGraph#load}
 * (a snapshot written before the removal may hold one); these tests make such a link.
 * ChurnStressTest meets the race itself (about one run in twenty without the removal).
 */
class VectorGraphSelfLinkTest {

    private static final int DIMS = 8;
    private static final int CAPACITY = 1_000;

    private record Rows(float[] matrix, int dims) implements VectorSource {
    }

    @Test
    void shouldRemoveALinkFromANodeToItself() {
        SplittableRandom random = new SplittableRandom(5);
        float[] matrix = new float[CAPACITY * DIMS];
        try (VectorGraph graph = graph(matrix)) {
            int[] all = new int[1_000];
            for (int id = 0; id < all.length; id++) {
                write(matrix, id, random);
                all[id] = id;
            }
            graph.addAll(all);
            var jvector = graph.graph();
            int node = jvector.getNodes(1).nextInt();
            var self = new io.github.jbellis.jvector.graph.NodeArray(1);
            self.addInOrder(node, 1f); // what the race leaves: the node among its own neighbours
            jvector.addEdges(1, node, self, 1.5f);
            assertThat(graph.selfLinks()).isEqualTo(1);
            List<Integer> others = new ArrayList<>();
            jvector.getNeighborsIterator(1, node).forEachRemaining((int other) -> others.add(other));
            others.remove(Integer.valueOf(node));

            graph.unlinkSelves(new int[] {node});

            assertThat(graph.selfLinks()).isZero();
            List<Integer> kept = new ArrayList<>();
            jvector.getNeighborsIterator(1, node).forEachRemaining((int other) -> kept.add(other));
            assertThat(kept).containsExactlyInAnyOrderElementsOf(others);
        }
    }

    @Test
    void shouldDropALinkFromANodeToItselfWhenLoadingASavedGraph() throws Exception {
        SplittableRandom random = new SplittableRandom(6);
        float[] matrix = new float[CAPACITY * DIMS];
        int[] all = new int[1_000];
        for (int id = 0; id < all.length; id++) {
            write(matrix, id, random);
            all[id] = id;
        }
        java.io.ByteArrayOutputStream saved = new java.io.ByteArrayOutputStream();
        int node;
        try (VectorGraph graph = graph(matrix)) {
            graph.addAll(all);
            var jvector = graph.graph();
            node = jvector.getNodes(1).nextInt();
            var self = new io.github.jbellis.jvector.graph.NodeArray(1);
            self.addInOrder(node, 1f); // as a graph saved before the removal existed could hold it
            jvector.addEdges(1, node, self, 1.5f);
            assertThat(graph.selfLinks()).isEqualTo(1);
            graph.save(new java.io.DataOutputStream(saved));
        }
        try (VectorGraph loaded = VectorGraph.load(new Rows(matrix, DIMS), new GraphParams(16, 64, Metric.L2),
                HnswSettings.builder().traversalCodesMinDims(0).build(), java.nio.ByteBuffer.wrap(saved.toByteArray()))) {
            assertThat(loaded.nodes()).isEqualTo(all.length);
            assertThat(loaded.selfLinks()).as("node %d", node).isZero();
        }
    }

    private static VectorGraph graph(float[] matrix) {
        return VectorGraph.create(new Rows(matrix, DIMS), new GraphParams(16, 64, Metric.L2),
                HnswSettings.builder().traversalCodesMinDims(0).build());
    }

    private static void write(float[] matrix, int row, SplittableRandom random) {
        System.arraycopy(RandomVectors.uniform(random, DIMS), 0, matrix, row * DIMS, DIMS);
    }
}
