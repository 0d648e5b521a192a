package io.ruvector.integrity.mincut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ruvector.integrity.graph.Edge;
import io.ruvector.integrity.graph.OperationalGraph;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastMinCutExactnessTest {

    private static final double EPS = 1e-9;
    private final FastMinCut fast = new FastMinCut();

    @Test
    void shouldMatchJGraphTWhenGraphsAreRandom() {
        long seed = RandomGraphs.seed("shouldMatchJGraphTWhenGraphsAreRandom");
        SplittableRandom random = new SplittableRandom(seed);
        int disconnected = 0;
        for (int i = 0; i < 2000; i++) {
            OperationalGraph g = RandomGraphs.random(2 + random.nextInt(59), random);
            MinCut cut = fast.compute(g);
            String where = "graph #" + i + " (seed " + seed + ", n=" + g.nodeCount() + ", m=" + g.edgeCount() + ")";
            assertThat(cut.value()).as(where).isCloseTo(JGraphTOracle.minCutValue(g), within(EPS));
            assertConsistent(g, cut, where);
            disconnected += cut.value() == 0.0 ? 1 : 0;
        }
        assertThat(disconnected).as("the generator must also produce disconnected graphs").isGreaterThan(50);
    }

    @Test
    void shouldFindTheExhaustiveMinimumWhenGraphsAreSmall() {
        long seed = RandomGraphs.seed("shouldFindTheExhaustiveMinimumWhenGraphsAreSmall");
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 300; i++) {
            OperationalGraph g = RandomGraphs.random(2 + random.nextInt(11), random);
            MinCut cut = fast.compute(g);
            String where = "graph #" + i + " (seed " + seed + ", n=" + g.nodeCount() + ")";
            assertThat(cut.value()).as(where).isCloseTo(exhaustiveMinimum(g), within(EPS));
            assertConsistent(g, cut, where);
        }
    }

    @Test
    void shouldMatchJGraphTWhenGraphsHaveThreeHundredNodes() {
        long seed = RandomGraphs.seed("shouldMatchJGraphTWhenGraphsHaveThreeHundredNodes");
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 1; i++) {
            OperationalGraph g = RandomGraphs.sparse(300, 3000, random);
            MinCut cut = fast.compute(g);
            String where = "large graph #" + i + " (seed " + seed + ")";
            assertThat(cut.value()).as(where).isCloseTo(JGraphTOracle.minCutValue(g), within(EPS));
            assertConsistent(g, cut, where);
        }
        OperationalGraph contracted = MinCutBenchmark.contractedLike(300, 3000, random);
        assertThat(fast.compute(contracted).value())
                .isCloseTo(JGraphTOracle.minCutValue(contracted), within(EPS));
    }

    /** The side is a proper cut, its recomputed capacity is the value, and witnesses are exactly the crossing edges. */
    static void assertConsistent(OperationalGraph g, MinCut cut, String where) {
        BitSet side = cut.side();
        assertThat(side.get(0)).as(where + ": side excludes node 0").isFalse();
        assertThat(side.cardinality()).as(where + ": side is non-empty and proper").isBetween(1, g.nodeCount() - 1);
        double crossing = 0.0;
        List<Edge> expected = new ArrayList<>();
        for (Edge e : g.edges()) {
            if (side.get(e.source()) != side.get(e.target())) {
                crossing += e.capacity();
                expected.add(e);
            }
        }
        assertThat(crossing).as(where + ": recomputed crossing capacity").isCloseTo(cut.value(), within(EPS));
        assertThat(cut.witnessEdges()).as(where + ": witnesses").containsExactlyElementsOf(expected);
    }

    private static double exhaustiveMinimum(OperationalGraph g) {
        int n = g.nodeCount();
        Edge[] edges = g.edges().toArray(Edge[]::new);
        double best = Double.POSITIVE_INFINITY;
        // Every proper cut has exactly one side without node 0: subsets of nodes 1..n-1.
        for (int mask = 1; mask < 1 << (n - 1); mask++) {
            int side = mask << 1;
            double value = 0.0;
            for (Edge e : edges) {
                if (((side >>> e.source()) & 1) != ((side >>> e.target()) & 1)) {
                    value += e.capacity();
                }
            }
            best = Math.min(best, value);
        }
        return best;
    }
}
