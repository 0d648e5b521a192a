package io.ruvector.integrity.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OperationalGraphTest {

    @Test
    void shouldClampCapacitiesWhenOutOfRange() {
        OperationalGraph.Builder b = OperationalGraph.builder();
        NodeRef ingest = new NodeRef("ingest", "cdc");
        b.addEdge(ingest, new NodeRef("partition", "0"), EdgeType.ROUTING_LINK, 5.0);
        b.addEdge(ingest, new NodeRef("partition", "1"), EdgeType.ROUTING_LINK, -3.0);
        OperationalGraph g = b.build();
        assertThat(g.edge(0).capacity()).isEqualTo(1.0);
        assertThat(g.edge(1).capacity()).isEqualTo(OperationalGraph.MIN_CAPACITY);
    }

    @Test
    void shouldSumParallelEdgesInTheCutViewAndKeepThemWhenEdgesRepeat() {
        OperationalGraph.Builder b = OperationalGraph.builder();
        int p = b.addNode("partition", "3");
        int s = b.addNode("standby", "3@h1");
        b.addEdge(p, s, EdgeType.REPLICATION, 0.25).addEdge(s, p, EdgeType.DEPENDENCY, 0.5);
        OperationalGraph g = b.build();
        assertThat(g.edgeCount()).isEqualTo(2);
        assertThat(g.mergedEdgeCount()).isEqualTo(1);
        assertThat(g.rowStart(1) - g.rowStart(0)).isEqualTo(1);
        assertThat(g.neighbour(g.rowStart(0))).isEqualTo(s);
        assertThat(g.weight(g.rowStart(0))).isCloseTo(0.75, within(1e-12));
        assertThat(g.weight(g.rowStart(1))).isCloseTo(0.75, within(1e-12));
        assertThat(g.node(p)).hasToString("partition:3");
    }

    @Test
    void shouldReuseTheIdWhenANodeIsAddedTwice() {
        OperationalGraph.Builder b = OperationalGraph.builder();
        int first = b.addNode("centroid", "7");
        assertThat(b.addNode(new NodeRef("centroid", "7"))).isEqualTo(first);
        OperationalGraph g = b.build();
        assertThat(g.nodeCount()).isEqualTo(1);
        assertThat(g.indexOf(new NodeRef("centroid", "7"))).isZero();
        assertThat(g.indexOf(new NodeRef("centroid", "8"))).isEqualTo(-1);
    }

    @Test
    void shouldRejectEdgesWhenTheyAreLoopsNaNOrDangling() {
        OperationalGraph.Builder b = OperationalGraph.builder();
        int p = b.addNode("partition", "0");
        b.addNode("partition", "1");
        assertThatThrownBy(() -> b.addEdge(p, p, EdgeType.PARTITION_LINK, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partition:0");
        assertThatThrownBy(() -> b.addEdge(0, 1, EdgeType.PARTITION_LINK, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> b.addEdge(0, 2, EdgeType.PARTITION_LINK, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldKeepTopologyAndSetCapacitiesToOneWhenUnitTwinIsTaken() {
        OperationalGraph.Builder b = OperationalGraph.builder();
        b.addNode("a", "0");
        b.addNode("a", "1");
        b.addEdge(0, 1, EdgeType.SHARD_LINK, 0.2).addEdge(1, 0, EdgeType.SHARD_LINK, 0.3);
        OperationalGraph g = b.build();
        OperationalGraph unit = g.withUnitCapacities();
        assertThat(unit.edges()).extracting(Edge::capacity).containsExactly(1.0, 1.0);
        assertThat(unit.weight(0)).isEqualTo(2.0);
        assertThat(g.edges()).extracting(Edge::capacity).containsExactly(0.2, 0.3);
        assertThatThrownBy(() -> g.edges().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
