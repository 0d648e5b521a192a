package io.ruvector.index.graph;

import io.ruvector.schemas.Metric;
import java.util.Objects;

/**
 * How one collection's graph is built: HNSW {@code m} and {@code ef_construction} (from its
 * {@code CollectionSpec}) and the metric the graph ranks by (the collection's default metric).
 * Bounds are pgvector's ({@code m} 2..100, {@code ef_construction} 4..1000). A collection whose
 * metric is {@link Metric#L1} gets no graph: jvector has no L1 similarity, so L1 is always exact.
 *
 * @param m              links per node on the upper layers; layer 0 gets {@code 2·m}, as in pgvector
 * @param efConstruction candidates considered while linking a new node (jvector's beam width)
 * @param metric         the metric the graph is built for
 */
public record GraphParams(int m, int efConstruction, Metric metric) {

    public GraphParams {
        checkM(m, "hnsw m");
        checkEfConstruction(efConstruction, "hnsw ef_construction");
        Objects.requireNonNull(metric, "metric");
    }

    /** Whether a graph can serve this metric at all (L1 cannot). */
    public boolean graphable() {
        return metric != Metric.L1;
    }

    static void checkM(int m, String name) {
        if (m < 2 || m > 100) {
            throw new IllegalArgumentException(name + " must be in 2..100, was " + m);
        }
    }

    static void checkEfConstruction(int efConstruction, String name) {
        if (efConstruction < 4 || efConstruction > 1000) {
            throw new IllegalArgumentException(name + " must be in 4..1000, was " + efConstruction);
        }
    }
}
