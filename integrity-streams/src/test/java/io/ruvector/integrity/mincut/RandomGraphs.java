package io.ruvector.integrity.mincut;

import io.ruvector.integrity.graph.EdgeType;
import io.ruvector.integrity.graph.OperationalGraph;
import java.util.SplittableRandom;

/** Random test graphs: random density, capacities in [0.01, 1], parallel edges, sometimes disconnected. */
final class RandomGraphs {

    private static final EdgeType[] TYPES = EdgeType.values();

    private RandomGraphs() {
    }

    /** Seed for a randomised test: {@code -Dintegrity.seed=…} or a fixed default, printed. */
    static long seed(String test) {
        long seed = Long.getLong("integrity.seed", 20_260_401L);
        System.out.println(test + " seed=" + seed + " (rerun with -Dintegrity.seed=" + seed + ")");
        return seed;
    }

    static OperationalGraph random(int n, SplittableRandom random) {
        OperationalGraph.Builder b = OperationalGraph.builder();
        for (int i = 0; i < n; i++) {
            b.addNode("node", Integer.toString(i));
        }
        double density = random.nextDouble(0.02, 1.0);
        boolean split = random.nextInt(8) == 0 && n >= 2;
        int splitAt = split ? 1 + random.nextInt(n - 1) : n;
        for (int u = 0; u < n; u++) {
            for (int v = u + 1; v < n; v++) {
                if (split && (u < splitAt) != (v < splitAt)) {
                    continue;
                }
                if (random.nextDouble() < density) {
                    b.addEdge(u, v, TYPES[random.nextInt(TYPES.length)], capacity(random));
                    if (random.nextInt(10) == 0) {
                        b.addEdge(v, u, TYPES[random.nextInt(TYPES.length)], capacity(random)); // parallel
                    }
                }
            }
        }
        return b.build();
    }

    /** n nodes and about m random edges (with repeats, so some parallel edges) over a spanning path. */
    static OperationalGraph sparse(int n, int m, SplittableRandom random) {
        OperationalGraph.Builder b = OperationalGraph.builder();
        for (int i = 0; i < n; i++) {
            b.addNode("node", Integer.toString(i));
        }
        for (int i = 1; i < n; i++) {
            b.addEdge(i - 1, i, EdgeType.PARTITION_LINK, capacity(random));
        }
        for (int e = n - 1; e < m; ) {
            int u = random.nextInt(n);
            int v = random.nextInt(n);
            if (u != v) {
                b.addEdge(u, v, TYPES[random.nextInt(TYPES.length)], capacity(random));
                e++;
            }
        }
        return b.build();
    }

    private static double capacity(SplittableRandom random) {
        return random.nextInt(10) == 0 ? OperationalGraph.MIN_CAPACITY : random.nextDouble(0.01, 1.0);
    }
}
