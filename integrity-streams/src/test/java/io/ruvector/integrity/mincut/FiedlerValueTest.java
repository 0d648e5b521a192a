package io.ruvector.integrity.mincut;

import static io.ruvector.integrity.mincut.FastMinCutTest.graph;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ruvector.integrity.graph.EdgeType;
import io.ruvector.integrity.graph.OperationalGraph;
import org.junit.jupiter.api.Test;

class FiedlerValueTest {

    @Test
    void shouldMatchTheClosedFormWhenGraphIsAUnitPath() {
        int n = 7;
        OperationalGraph.Builder b = OperationalGraph.builder();
        for (int i = 0; i < n; i++) {
            b.addNode("node", Integer.toString(i));
        }
        for (int i = 1; i < n; i++) {
            b.addEdge(i - 1, i, EdgeType.PARTITION_LINK, 1.0);
        }
        // Path P_n: λ₂ = 2 (1 − cos(π / n)).
        assertThat(FiedlerValue.of(b.build())).isCloseTo(2 * (1 - Math.cos(Math.PI / n)), within(1e-9));
    }

    @Test
    void shouldBeNTimesTheWeightWhenGraphIsComplete() {
        // K_4 with weight 0.5: eigenvalues 0, 4·0.5 (three times).
        OperationalGraph g = graph(4, 0, 1, .5, 0, 2, .5, 0, 3, .5, 1, 2, .5, 1, 3, .5, 2, 3, .5);
        assertThat(FiedlerValue.of(g)).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void shouldBeZeroWhenGraphIsDisconnectedOrTrivial() {
        assertThat(FiedlerValue.of(graph(4, 0, 1, 1, 2, 3, 1))).isCloseTo(0.0, within(1e-9));
        assertThat(FiedlerValue.of(graph(1))).isZero();
    }
}
