package io.ruvector.index.query;

/**
 * How one partition answered a kNN request. Distances are pgvector's either way; the
 * difference is whether the top-k itself is exact (brute force) or approximate (graph).
 * HNSW-NOTES.md gives the rules that choose among them.
 */
public enum SearchStrategy {

    /** Brute force: requested, L1, a metric the graph was not built for, or a partition below the graph threshold. */
    EXACT(true),
    /** Brute force over the rows a very selective filter lets through. */
    EXACT_SELECTIVE_FILTER(true),
    /** The graph found fewer than k rows although more exist; brute force answered instead. */
    EXACT_GRAPH_FALLBACK(true),
    /** HNSW graph search, candidates re-scored with pgvector's distance. */
    GRAPH(false),
    /** HNSW graph search with the filter applied while traversing (in-graph filtering). */
    GRAPH_FILTERED(false);

    private final boolean exact;

    SearchStrategy(boolean exact) {
        this.exact = exact;
    }

    /** Whether this strategy returns the exact top-k. */
    public boolean exact() {
        return exact;
    }
}
