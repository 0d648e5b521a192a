package io.ruvector.integrity.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ruvector.integrity.graph.Edge;
import io.ruvector.integrity.graph.EdgeType;
import io.ruvector.integrity.graph.OperationalGraph;
import io.ruvector.integrity.mincut.JGraphTOracle;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LambdaMeterTest {

    private final LambdaMeter meter = new LambdaMeter(LambdaSettings.DEFAULTS);

    @Test
    void shouldIsolateTheWeakNodeWhenOneCornerOfAK4IsDegraded() {
        // K4 on a, b, c, d; d's three edges at 0.2. Cuts by hand: {d} 0.6, {a} 2.2, {a,d} 2.4 …
        OperationalGraph.Builder b = OperationalGraph.builder();
        int a = b.addNode("partition", "a");
        int bb = b.addNode("partition", "b");
        int c = b.addNode("partition", "c");
        int d = b.addNode("partition", "d");
        b.addEdge(a, bb, EdgeType.PARTITION_LINK, 1).addEdge(a, c, EdgeType.PARTITION_LINK, 1)
                .addEdge(bb, c, EdgeType.PARTITION_LINK, 1).addEdge(a, d, EdgeType.PARTITION_LINK, 0.2)
                .addEdge(bb, d, EdgeType.PARTITION_LINK, 0.2).addEdge(c, d, EdgeType.PARTITION_LINK, 0.2);
        OperationalGraph g = b.build();

        IntegrityReading r = meter.measure(g);

        assertThat(r.lambdaCut()).isCloseTo(0.6, within(1e-12));
        assertThat(r.lambdaCut()).isCloseTo(JGraphTOracle.minCutValue(g), within(1e-12));
        assertThat(r.unitCut()).isCloseTo(3.0, within(1e-12)); // every K4 node has degree 3
        assertThat(r.lambda()).isCloseTo(0.2, within(1e-12));
        assertThat(r.witnessEdges()).extracting(Edge::index).containsExactly(3, 4, 5);
    }

    @Test
    void shouldCutTheBridgeAndNormaliseByTheUnitBridgeWhenTwoTrianglesAreJoined() {
        // triangles {0,1,2} and {3,4,5} at capacity 0.9, bridge 2-3 at 0.35: unit cut 1 (the bridge)
        OperationalGraph.Builder b = OperationalGraph.builder();
        for (int i = 0; i < 6; i++) {
            b.addNode("partition", Integer.toString(i));
        }
        b.addEdge(0, 1, EdgeType.PARTITION_LINK, 0.9).addEdge(1, 2, EdgeType.PARTITION_LINK, 0.9)
                .addEdge(0, 2, EdgeType.PARTITION_LINK, 0.9).addEdge(3, 4, EdgeType.PARTITION_LINK, 0.9)
                .addEdge(4, 5, EdgeType.PARTITION_LINK, 0.9).addEdge(3, 5, EdgeType.PARTITION_LINK, 0.9)
                .addEdge(2, 3, EdgeType.ROUTING_LINK, 0.35);
        IntegrityReading r = meter.measure(b.build());

        assertThat(r.lambdaCut()).isCloseTo(0.35, within(1e-12));
        assertThat(r.unitCut()).isCloseTo(1.0, within(1e-12));
        assertThat(r.lambda()).isCloseTo(0.35, within(1e-12));
        assertThat(r.witnessEdges()).singleElement().extracting(Edge::type).isEqualTo(EdgeType.ROUTING_LINK);
    }

    @Test
    void shouldReportExactlyTheCrossingEdgesAsWitnessesWhenGraphsAreRandom() {
        long seed = Long.getLong("integrity.seed", 20_260_402L);
        System.out.println("shouldReportExactlyTheCrossingEdgesAsWitnessesWhenGraphsAreRandom seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 100; round++) {
            OperationalGraph g = randomConnected(3 + random.nextInt(25), random);
            IntegrityReading r = meter.measure(g);
            // The side is what the cut separates from node 0: recover it from the witnesses' graph.
            BitSet side = sideOf(g, r);
            double sum = 0;
            for (Edge e : g.edges()) {
                boolean crosses = e.crosses(side);
                assertThat(r.witnessEdges().contains(e)).as("edge %s round %d seed %d", e, round, seed)
                        .isEqualTo(crosses);
                sum += crosses ? e.capacity() : 0;
            }
            assertThat(sum).as("round %d seed %d", round, seed).isCloseTo(r.lambdaCut(), within(1e-9));
            assertThat(r.lambdaCut()).as("round %d seed %d", round, seed)
                    .isCloseTo(JGraphTOracle.minCutValue(g), within(1e-9));
        }
    }

    @Test
    void shouldReadOneWithNoWitnessWhenGraphHasOneNodeOrNone() {
        OperationalGraph.Builder one = OperationalGraph.builder();
        one.addNode("ingest", "cdc");
        for (OperationalGraph g : new OperationalGraph[] {OperationalGraph.builder().build(), one.build()}) {
            IntegrityReading r = meter.measure(g);
            assertThat(r.lambda()).isEqualTo(1.0);
            assertThat(r.lambdaCut()).isZero();
            assertThat(r.witnessEdges()).isEmpty();
        }
    }

    @Test
    void shouldReadZeroWhenNodesHaveNoEdges() {
        OperationalGraph.Builder b = OperationalGraph.builder();
        b.addNode("ingest", "cdc");
        b.addNode("partition", "0");
        IntegrityReading r = meter.measure(b.build());

        assertThat(r.lambda()).isZero();
        assertThat(r.witnessEdges()).isEmpty();
        assertThat(r.lambda2()).hasValue(0.0);
    }

    @Test
    void shouldSkipLambda2WhenGraphIsLargerThanTheSettingOrItIsDisabled() {
        OperationalGraph g = randomConnected(20, new SplittableRandom(3));

        assertThat(new LambdaMeter(new LambdaSettings(true, 20)).measure(g).lambda2()).isPresent();
        assertThat(new LambdaMeter(new LambdaSettings(true, 19)).measure(g).lambda2()).isEmpty();
        assertThat(new LambdaMeter(new LambdaSettings(false, 300)).measure(g).lambda2()).isEmpty();
    }

    /** The nodes reachable from node 0 without crossing a witness edge, complemented. */
    private static BitSet sideOf(OperationalGraph g, IntegrityReading r) {
        BitSet reached = new BitSet();
        reached.set(0);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Edge e : g.edges()) {
                if (r.witnessEdges().contains(e)) {
                    continue;
                }
                if (reached.get(e.source()) != reached.get(e.target())) {
                    reached.set(e.source());
                    reached.set(e.target());
                    grew = true;
                }
            }
        }
        BitSet side = new BitSet();
        side.set(0, g.nodeCount());
        side.andNot(reached);
        return side;
    }

    private static OperationalGraph randomConnected(int n, SplittableRandom random) {
        OperationalGraph.Builder b = OperationalGraph.builder();
        for (int i = 0; i < n; i++) {
            b.addNode("partition", Integer.toString(i));
        }
        for (int i = 1; i < n; i++) {
            b.addEdge(random.nextInt(i), i, EdgeType.PARTITION_LINK, random.nextDouble(0.01, 1.0));
        }
        int extra = random.nextInt(3 * n);
        for (int k = 0; k < extra; k++) {
            int u = random.nextInt(n);
            int v = random.nextInt(n);
            if (u != v) {
                b.addEdge(u, v, EdgeType.SHARD_LINK, random.nextDouble(0.01, 1.0));
            }
        }
        return b.build();
    }
}
