package io.ruvector.compose.bench;

import io.ruvector.index.IndexService;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.schemas.Metric;

/** The index requests the benchmarks send. */
final class BenchRequests {

    private BenchRequests() {
    }

    /** An L2 search with {@code efSearch} graph candidates (the graph serves it wherever one exists). */
    static KnnRequest approximate(String collection, float[] query, int k, int efSearch) {
        return KnnRequest.builder(collection, query).k(k).metric(Metric.L2).efSearch(efSearch).build();
    }

    /** An exact L2 search (every row scanned): what {@code "exact": true} asks. */
    static KnnRequest exact(String collection, float[] query, int k) {
        return KnnRequest.builder(collection, query).k(k).metric(Metric.L2).exact(true).build();
    }

    /** The transport to other instances of a single-instance benchmark: there are none. */
    static <R> io.ruvector.index.cluster.PeerCall<R> noPeers() {
        return (peer, partitions, standby) -> {
            throw new IllegalStateException("partitions " + partitions + " live on " + peer + ": the benchmark runs one instance");
        };
    }

    /** Whether the index holds {@code id} (a point lookup on every local partition). */
    static boolean contains(IndexService index, String collection, String id) {
        try {
            return index.get(collection, id).isPresent();
        } catch (IllegalStateException e) { // a partition not answering right now: not visible yet
            return false;
        }
    }
}
