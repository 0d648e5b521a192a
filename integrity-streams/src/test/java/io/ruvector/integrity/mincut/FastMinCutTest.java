package io.ruvector.integrity.mincut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ruvector.integrity.graph.Edge;
import io.ruvector.integrity.graph.EdgeType;
import io.ruvector.integrity.graph.OperationalGraph;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class FastMinCutTest {

    private final FastMinCut fast = new FastMinCut();

    @Test
    void shouldCutTheLightestEdgeWhenGraphIsAPath() {
        OperationalGraph g = graph(4, 0, 1, 0.5, 1, 2, 0.2, 2, 3, 0.9);
        MinCut cut = fast.compute(g);
        assertThat(cut.value()).isCloseTo(0.2, within(1e-12));
        assertThat(cut.side()).isEqualTo(bits(2, 3));
        assertThat(cut.witnessEdges()).extracting(Edge::index).containsExactly(1);
    }

    @Test
    void shouldCutTheTwoLightestEdgesWhenGraphIsACycle() {
        OperationalGraph g = graph(5, 0, 1, 0.5, 1, 2, 0.4, 2, 3, 0.9, 3, 4, 0.8, 4, 0, 0.3);
        MinCut cut = fast.compute(g);
        assertThat(cut.value()).isCloseTo(0.7, within(1e-12));
        assertThat(cut.side()).isEqualTo(bits(2, 3, 4));
        assertThat(cut.witnessEdges()).extracting(Edge::index).containsExactly(1, 4);
    }

    @Test
    void shouldCutTheBridgeWhenTwoCliquesAreJoinedByALightEdge() {
        OperationalGraph.Builder b = OperationalGraph.builder();
        for (int i = 0; i < 8; i++) {
            b.addNode("partition", Integer.toString(i));
        }
        for (int u = 0; u < 8; u++) {
            for (int v = u + 1; v < 8; v++) {
                if ((u < 4) == (v < 4)) {
                    b.addEdge(u, v, EdgeType.PARTITION_LINK, 1.0);
                }
            }
        }
        b.addEdge(3, 4, EdgeType.ROUTING_LINK, 0.05);
        OperationalGraph g = b.build();
        MinCut cut = fast.compute(g);
        assertThat(cut.value()).isCloseTo(0.05, within(1e-12));
        assertThat(cut.side()).isEqualTo(bits(4, 5, 6, 7));
        assertThat(cut.witnessEdges()).singleElement()
                .satisfies(e -> assertThat(e.type()).isEqualTo(EdgeType.ROUTING_LINK));
    }

    @Test
    void shouldIsolateTheWeakestLeafWhenGraphIsAStar() {
        OperationalGraph g = graph(5, 0, 1, 0.6, 0, 2, 0.2, 0, 3, 0.8, 0, 4, 0.5);
        MinCut cut = fast.compute(g);
        assertThat(cut.value()).isCloseTo(0.2, within(1e-12));
        assertThat(cut.side()).isEqualTo(bits(2));
        assertThat(cut.witnessEdges()).extracting(Edge::index).containsExactly(1);
    }

    @Test
    void shouldSumParallelEdgesAndReportEachWhenTwoNodesShareTwoEdges() {
        OperationalGraph g = graph(3, 0, 1, 0.3, 1, 0, 0.4, 1, 2, 0.9);
        MinCut cut = fast.compute(g);
        assertThat(cut.value()).isCloseTo(0.7, within(1e-12));
        assertThat(cut.side()).isEqualTo(bits(1, 2));
        assertThat(cut.witnessEdges()).extracting(Edge::index).containsExactly(0, 1);
    }

    @Test
    void shouldReturnAnEmptyZeroCutWhenGraphHasOneOrNoNode() {
        MinCut none = fast.compute(OperationalGraph.builder().build());
        OperationalGraph.Builder one = OperationalGraph.builder();
        one.addNode("ingest", "cdc");
        MinCut single = fast.compute(one.build());
        for (MinCut cut : new MinCut[] {none, single}) {
            assertThat(cut.value()).isZero();
            assertThat(cut.side().isEmpty()).isTrue();
            assertThat(cut.witnessEdges()).isEmpty();
        }
    }

    @Test
    void shouldReturnZeroAndAComponentWhenGraphIsDisconnected() {
        MinCut noEdges = fast.compute(graph(3));
        assertThat(noEdges.value()).isZero();
        assertThat(noEdges.side()).isEqualTo(bits(1, 2));

        MinCut twoTriangles = fast.compute(graph(6, 0, 1, 1, 1, 2, 1, 2, 0, 1, 3, 4, 1, 4, 5, 1, 5, 3, 1));
        assertThat(twoTriangles.value()).isZero();
        assertThat(twoTriangles.side()).isEqualTo(bits(3, 4, 5));
        assertThat(twoTriangles.witnessEdges()).isEmpty();
    }

    /** {@code graph(n, u0, v0, c0, u1, v1, c1, …)}: n nodes and the listed edges. */
    static OperationalGraph graph(int n, double... triples) {
        OperationalGraph.Builder b = OperationalGraph.builder();
        for (int i = 0; i < n; i++) {
            b.addNode("node", Integer.toString(i));
        }
        for (int i = 0; i < triples.length; i += 3) {
            b.addEdge((int) triples[i], (int) triples[i + 1], EdgeType.DEPENDENCY, triples[i + 2]);
        }
        return b.build();
    }

    static BitSet bits(int... nodes) {
        BitSet set = new BitSet();
        for (int v : nodes) {
            set.set(v);
        }
        return set;
    }
}
