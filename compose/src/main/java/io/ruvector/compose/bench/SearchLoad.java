package io.ruvector.compose.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a query set through {@code clients} concurrent {@link Searcher}s and measures throughput,
 * latency and recall@k against ground truth. Each client goes through the whole query set once
 * (starting at a different offset), so every configuration answers the same questions.
 */
final class SearchLoad {

    /** What one configuration achieved. */
    record Result(int clients, double qps, Latencies latencies, double recall) {
    }

    private SearchLoad() {
    }

    static Result run(Searcher.Factory factory, float[][] queries, List<List<String>> truth, int k, int efSearch,
                      int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<long[]>> runs = new ArrayList<>();
            int[][] found = new int[clients][1];
            long start = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                int client = c;
                runs.add(pool.submit(() -> {
                    long[] nanos = new long[queries.length];
                    try (Searcher searcher = factory.open()) {
                        for (int i = 0; i < queries.length; i++) {
                            int q = (i + client * queries.length / clients) % queries.length;
                            long t0 = System.nanoTime();
                            List<String> ids = searcher.search(queries[q], k, efSearch);
                            nanos[i] = System.nanoTime() - t0;
                            found[client][0] += overlap(ids, truth.get(q));
                        }
                    }
                    return nanos;
                }));
            }
            long[] all = new long[clients * queries.length];
            for (int c = 0; c < clients; c++) {
                System.arraycopy(runs.get(c).get(), 0, all, c * queries.length, queries.length);
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
