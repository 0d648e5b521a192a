package io.ruvector.integrity.contract;

import io.ruvector.integrity.graph.OperationalGraph;
import java.util.Map;
import java.util.Objects;

/**
 * The contracted operational graph of one scope and what went into it.
 *
 * @param graph            node 0 is always {@code ingest:cdc}, so a cut's side is what it cuts off from the ingest
 * @param partitionHealth  h(p) and its terms, by partition id
 * @param droppedCentroids centroids left out to respect the node budget
 */
public record ContractedGraph(OperationalGraph graph, Map<Integer, PartitionHealth> partitionHealth,
                              int droppedCentroids) {

    public ContractedGraph {
        Objects.requireNonNull(graph, "graph");
        partitionHealth = Map.copyOf(partitionHealth);
    }
}
