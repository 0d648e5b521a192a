package io.ruvector.index.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.schemas.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The graph's entry node is never a deleted one. jvector 4.0.2's insert search accepts only live
 * nodes on the layers above 0 and starts each layer from the results of the one above: from a
 * deleted entry with no live node near it up there it found nothing, and rows inserted then were
 * linked to no node and unreachable by every search (about 1 % of {@code GraphSnapshotTest} runs
 * lost a whole batch of 256 rows so, graph recall 0.80–0.84).
 */
class EntryNodeTest {

    private static final int DIMS = 8;
    private static final int CAPACITY = 3_000;

    private record Rows(float[] matrix, int dims) implements VectorSource {
    }

    @Test
    void shouldLinkNewRowsAfterEveryNodeAboveLayerZeroIsDeleted() {
        SplittableRandom random = new SplittableRandom(11);
        float[] matrix = new float[CAPACITY * DIMS];
        try (VectorGraph graph = VectorGraph.create(new Rows(matrix, DIMS), new GraphParams(16, 64, Metric.L2),
                HnswSettings.DEFAULT)) {
            graph.addAll(rows(matrix, 0, 2_000, random));
            var jvector = graph.graph();
            assertThat(jvector.getMaxLevel()).as("a hierarchy to delete").isPositive();
            List<Integer> upper = new ArrayList<>();
            jvector.getNodes(1).forEachRemaining((int node) -> upper.add(node));
            for (int node : upper) { // the entry among them: the worst case, no live node above layer 0
                graph.markDeleted(node);
            }
            assertThat(jvector.getDeletedNodes().get(jvector.entryNode().node)).as("the entry is live").isFalse();

            int[] added = rows(matrix, 2_000, 2_256, random);
            graph.addAll(added);

            for (int node : added) {
                assertThat(jvector.getNeighborsIterator(0, node).size()).as("links of new node %d", node).isPositive();
            }
            assertThat(graph.unreachableNodes()).as("nodes no search reaches").isZero();
            int found = 0;
            for (int node : added) {
                float[] query = java.util.Arrays.copyOfRange(matrix, node * DIMS, (node + 1) * DIMS);
                for (int hit : graph.search(query, 10, n -> true)) {
                    if (hit == node) {
                        found++;
                    }
                }
            }
            assertThat(found).as("new rows found as their own nearest neighbour").isGreaterThanOrEqualTo(added.length * 95 / 100);
        }
    }

    private static int[] rows(float[] matrix, int from, int to, SplittableRandom random) {
        int[] ids = new int[to - from];
        for (int id = from; id < to; id++) {
            System.arraycopy(RandomVectors.uniform(random, DIMS), 0, matrix, id * DIMS, DIMS);
            ids[id - from] = id;
        }
        return ids;
    }
}
