package io.ruvector.integrity.mincut;

import io.ruvector.integrity.graph.EdgeType;
import io.ruvector.integrity.graph.OperationalGraph;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@code ./ruvector bench integrity}: times {@link FastMinCut} on contracted-graph-like
 * random graphs (100, 500, 1000 nodes; sparse ≈ 6 edges per node and dense ≈ 35 per node)
 * and, on request, JGraphT's Stoer–Wagner on the same graphs, checking both agree.
 * Lives outside the test suite on purpose: it takes seconds and measures, not asserts.
 */
public final class MinCutBenchmark {

    private static final int[] SIZES = {100, 500, 1000};
    private static final int[] EDGES_PER_NODE = {6, 35};
    private static final int WARMUP = 20;
    private static final int RUNS = 30;

    private MinCutBenchmark() {
    }

    /** {@code MinCutBenchmark [seed=42] [includeJGraphT=true]}. */
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42L;
        boolean jgrapht = args.length <= 1 || Boolean.parseBoolean(args[1]);
        run(System.out, seed, jgrapht);
    }

    /**
     * Prints one line per graph. With {@code includeJGraphT}, throws
     * {@link IllegalStateException} after the table if any value disagreed (beyond 1e-9).
     */
    public static void run(PrintStream out, long seed, boolean includeJGraphT) {
        StringBuilder disagreements = new StringBuilder();
        out.printf("min-cut benchmark seed=%d warmup=%d runs=%d jgrapht=%s%n", seed, WARMUP, RUNS, includeJGraphT);
        out.printf("%6s %7s %7s %10s %10s %10s %12s %9s %s%n",
                "nodes", "edges", "merged", "cut", "fast p50", "fast p95", "jgrapht p50", "ratio", "agree");
        FastMinCut fast = new FastMinCut();
        SplittableRandom random = new SplittableRandom(seed);
        for (int perNode : EDGES_PER_NODE) {
            for (int n : SIZES) {
                OperationalGraph graph = contractedLike(n, perNode * n, random.split());
                double value = fast.compute(graph).value();
                double[] times = sortedMillis(WARMUP, RUNS, () -> fast.compute(graph));
                double p50 = times[RUNS / 2];
                double p95 = times[(int) Math.ceil(RUNS * 0.95) - 1];
                String jg = "-";
                String ratio = "-";
                String agree = "-";
                if (includeJGraphT) {
                    int jgRuns = n >= 1000 && perNode > 10 ? 2 : 3; // seconds each at 1000 nodes
                    var g = JGraphTOracle.toJGraphT(graph);
                    double[] ref = new double[1];
                    double[] jt = sortedMillis(0, jgRuns, () -> ref[0] = JGraphTOracle.minCutValue(g));
                    double reference = ref[0];
                    double jp50 = jt[(jgRuns - 1) / 2]; // lower median: never flatters the ratio
                    jg = String.format("%.1f ms", jp50);
                    ratio = String.format("%.0fx", jp50 / p50);
                    agree = Math.abs(reference - value) <= 1e-9 ? "yes" : "NO (" + reference + ")";
                    if (!agree.equals("yes")) {
                        disagreements.append(String.format(" n=%d m=%d fast=%s jgrapht=%s;", n, graph.edgeCount(),
                                value, reference));
                    }
                }
                out.printf("%6d %7d %7d %10.4f %7.2f ms %7.2f ms %12s %9s %s%n", graph.nodeCount(), graph.edgeCount(),
                        graph.mergedEdgeCount(), value, p50, p95, jg, ratio, agree);
            }
        }
        if (!disagreements.isEmpty()) {
            throw new IllegalStateException("FastMinCut disagreed with JGraphT:" + disagreements);
        }
    }

    /** Runs {@code work} {@code warmup + runs} times; the sorted wall times of the last {@code runs}, in ms. */
    private static double[] sortedMillis(int warmup, int runs, Runnable work) {
        double[] times = new double[runs];
        for (int i = 0; i < warmup + runs; i++) {
            long t0 = System.nanoTime();
            work.run();
            long t1 = System.nanoTime();
            if (i >= warmup) {
                times[i - warmup] = (t1 - t0) / 1e6;
            }
        }
        Arrays.sort(times);
        return times;
    }

    /**
     * A graph shaped like ARCHITECTURE.md §4: one ingest node routed to every partition, and
     * instances, standbys, centroids (≤ 256) and maintenance jobs each attached to a partition;
     * then random partition–anything edges (typed by the other end) up to {@code edges}.
     * Mostly healthy capacities, 5% degraded ones.
     */
    static OperationalGraph contractedLike(int n, int edges, SplittableRandom random) {
        int partitions = Math.max(2, n / 5);
        int centroids = Math.min(256, n / 4);
        int instances = Math.max(1, n / 20);
        int maintenance = Math.max(1, n / 50);
        int standbys = n - 1 - partitions - centroids - instances - maintenance;
        OperationalGraph.Builder b = OperationalGraph.builder();
        int ingest = b.addNode("ingest", "cdc");
        int firstPartition = ingest + 1;
        for (int p = 0; p < partitions; p++) {
            b.addNode("partition", Integer.toString(p));
        }
        addRole(b, "centroid", centroids);
        addRole(b, "instance", instances);
        addRole(b, "maintenance", maintenance);
        addRole(b, "standby", standbys);
        int count = 0;
        for (int p = 0; p < partitions; p++, count++) {
            b.addEdge(ingest, firstPartition + p, EdgeType.ROUTING_LINK, capacity(random));
        }
        for (int v = firstPartition + partitions; v < n; v++, count++) {
            int p = firstPartition + random.nextInt(partitions);
            b.addEdge(p, v, typeOf(v, firstPartition, partitions, centroids, instances, maintenance), capacity(random));
        }
        while (count < edges) {
            int p = firstPartition + random.nextInt(partitions);
            int v = random.nextInt(n);
            if (v != p) {
                b.addEdge(p, v, typeOf(v, firstPartition, partitions, centroids, instances, maintenance),
                        capacity(random));
                count++;
            }
        }
        return b.build();
    }

    private static void addRole(OperationalGraph.Builder b, String type, int count) {
        for (int i = 0; i < count; i++) {
            b.addNode(type, Integer.toString(i));
        }
    }

    private static EdgeType typeOf(int v, int firstPartition, int partitions, int centroids, int instances,
                                   int maintenance) {
        int rank = v - firstPartition;
        if (rank < 0) {
            return EdgeType.ROUTING_LINK;
        }
        int[] bounds = {partitions, centroids, instances, maintenance};
        EdgeType[] types = {EdgeType.PARTITION_LINK, EdgeType.CENTROID_ROUTE, EdgeType.SHARD_LINK, EdgeType.DEPENDENCY};
        for (int i = 0; i < bounds.length; i++) {
            if (rank < bounds[i]) {
                return types[i];
            }
            rank -= bounds[i];
        }
        return EdgeType.REPLICATION;
    }

    private static double capacity(SplittableRandom random) {
        return random.nextInt(20) == 0 ? random.nextDouble(0.01, 0.2) : 1.0 - 0.5 * random.nextDouble();
    }
}
