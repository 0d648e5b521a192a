package io.ruvector.integrity.graph;

/** The kinds of undirected edge of the contracted operational graph (ARCHITECTURE.md §4). */
public enum EdgeType {
    /** ingest — partition: 1 − consumer lag / lag budget. */
    ROUTING_LINK,
    /** partition — partition: min(health p, health q). */
    PARTITION_LINK,
    /** partition — instance: 1 − p99 latency / latency budget. */
    SHARD_LINK,
    /** centroid — partition: centroid health. */
    CENTROID_ROUTE,
    /** partition — standby: 1 − standby lag / lag budget. */
    REPLICATION,
    /** partition — maintenance job: 1.0 healthy, 0.1 degraded. */
    DEPENDENCY
}
