package io.ruvector.index.query;

import io.ruvector.schemas.Metric;

/**
 * One partition's view of one collection.
 *
 * @param collection        the collection
 * @param liveRows          live (searchable) rows
 * @param deletedGraphNodes graph nodes deleted or replaced but not yet removed by maintenance
 * @param tombstones        deleted ids remembered so that replays cannot resurrect them
 * @param watermark         the partition's watermark LSN ({@code -1} before the first)
 * @param vectorBytes       heap held by the vectors: the matrix (its capacity, including free rows) and, with a cold tier, its codes and slot map
 * @param graphBytes        jvector's estimate of the graph's heap plus its int8 traversal codes, 0 without a graph
 * @param graphPresent      whether the collection has a graph in this partition
 * @param m                 the graph's HNSW m, 0 without a graph
 * @param efConstruction    the graph's ef_construction, 0 without a graph
 * @param graphMetric       the metric the graph ranks by, null without a graph
 * @param coldRows          live rows held in the cold tier (int8 codes, re-scored from the store)
 * @param handOff           rows of a bucket hand-off are still moving in (a previous owner has not
 *                          confirmed) or out (rows of buckets now owned elsewhere still held here)
 */
public record CollectionStats(String collection, int liveRows, int deletedGraphNodes, int tombstones, long watermark,
                              long vectorBytes, long graphBytes, boolean graphPresent, int m, int efConstruction,
                              Metric graphMetric, int coldRows, boolean handOff) {

    /** Stats of a partition with no hand-off in progress. */
    public CollectionStats(String collection, int liveRows, int deletedGraphNodes, int tombstones, long watermark,
                           long vectorBytes, long graphBytes, boolean graphPresent, int m, int efConstruction,
                           Metric graphMetric, int coldRows) {
        this(collection, liveRows, deletedGraphNodes, tombstones, watermark, vectorBytes, graphBytes, graphPresent, m,
                efConstruction, graphMetric, coldRows, false);
    }

    /** Approximate heap of the collection's search structures: vectors plus graph. */
    public long memoryBytes() {
        return vectorBytes + graphBytes;
    }
}
