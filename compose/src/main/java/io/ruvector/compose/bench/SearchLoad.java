package io.ruvector.compose.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a query set through {@code clients} concurrent {@link Searcher}s and measures throughput,
 * latency and recall@k against ground truth. Each client goes through the whole query set
 * (starting at a different offset), so every configuration answers the same questions, and again
 * until {@code minNanos} have passed: 500 queries at a few thousand QPS last a tenth of a second,
 * where one collection pause or compilation moved a result by a quarter.
 */
final class SearchLoad {

    /** What one configuration achieved. */
    record Result(int clients, double qps, Latencies latencies, double recall) {
    }

    private SearchLoad() {
    }

    /** Whole passes over the query set for at least this long per measured configuration. */
    static final long MIN_MEASURED_NANOS = 2_000_000_000L;

    /** One pass per client: a warm-up. */
    static Result once(Searcher.Factory factory, float[][] queries, List<List<String>> truth, int k, int efSearch)
            throws Exception {
        return run(factory, queries, truth, k, efSearch, 1, 0);
    }

    /** A measured configuration: passes for at least {@link #MIN_MEASURED_NANOS}. */
    static Result run(Searcher.Factory factory, float[][] queries, List<List<String>> truth, int k, int efSearch,
                      int clients) throws Exception {
        return run(factory, queries, truth, k, efSearch, clients, MIN_MEASURED_NANOS);
    }

    private static Result run(Searcher.Factory factory, float[][] queries, List<List<String>> truth, int k, int efSearch,
                              int clients, long minNanos) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<long[]>> runs = new ArrayList<>();
            int[][] found = new int[clients][1];
            long start = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                int client = c;
                runs.add(pool.submit(() -> {
                    List<long[]> passes = new ArrayList<>();
                    try (Searcher searcher = factory.open()) {
                        do {
                            long[] nanos = new long[queries.length];
                            for (int i = 0; i < queries.length; i++) {
                                int q = (i + client * queries.length / clients) % queries.length;
                                long t0 = System.nanoTime();
                                List<String> ids = searcher.search(queries[q], k, efSearch);
                                nanos[i] = System.nanoTime() - t0;
                                found[client][0] += overlap(ids, truth.get(q));
                            }
                            passes.add(nanos);
                        } while (System.nanoTime() - start < minNanos);
                    }
                    long[] all = new long[passes.size() * queries.length];
                    for (int p = 0; p < passes.size(); p++) {
                        System.arraycopy(passes.get(p), 0, all, p * queries.length, queries.length);
                    }
                    return all;
                }));
            }
            List<long[]> perClient = new ArrayList<>();
            int total = 0;
            for (int c = 0; c < clients; c++) {
                long[] nanos = runs.get(c).get();
                perClient.add(nanos);
                total += nanos.length;
            }
            long[] all = new long[total];
            int at = 0;
            for (long[] nanos : perClient) {
                System.arraycopy(nanos, 0, all, at, nanos.length);
                at += nanos.length;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long hits = 0;
            for (int[] f : found) {
                hits += f[0];
            }
            return new Result(clients, all.length / seconds, Latencies.of(all), hits / (double) (all.length * (long) k));
        } finally {
            pool.shutdownNow();
        }
    }

    private static int overlap(List<String> ids, List<String> truth) {
        int n = 0;
        for (String id : ids) {
            if (truth.contains(id)) {
                n++;
            }
        }
        return n;
    }
}
