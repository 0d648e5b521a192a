package io.ruvector.schemas.healing;

import java.util.List;

/** Names of the remediation strategies and of their command parameters: the wire contract of commands. */
public final class Strategies {

    public static final String THROTTLE_INGESTION = "throttle_ingestion";
    public static final String PAUSE_MAINTENANCE = "pause_maintenance";
    public static final String REBALANCE_PARTITIONS = "rebalance_partitions";
    public static final String COMPACT_INDEXES = "compact_indexes";
    public static final String REBUILD_CENTROIDS = "rebuild_centroids";
    public static final String EVICT_COLD_DATA = "evict_cold_data";
    public static final String DRAIN_HOT_PARTITION = "drain_hot_partition";
    public static final String SCALE_REPLICAS = "scale_replicas";

    public static final List<String> ALL = List.of(THROTTLE_INGESTION, PAUSE_MAINTENANCE, REBALANCE_PARTITIONS,
            COMPACT_INDEXES, REBUILD_CENTROIDS, EVICT_COLD_DATA, DRAIN_HOT_PARTITION, SCALE_REPLICAS);

    /** throttle_ingestion: admit fraction of point changes, in (0, 1] (0.5 = 50 % throttled). */
    public static final String PARAM_ADMIT_FRACTION = "admit_fraction";
    /** throttle_ingestion: admit fraction of bulk changes. */
    public static final String PARAM_BULK_ADMIT_FRACTION = "bulk_admit_fraction";
    /** compact_indexes: longest time one slice may hold a partition's write lock, ms. */
    public static final String PARAM_SLICE_MILLIS = "slice_millis";
    /** compact_indexes: index tombstones older than this (commit time) and behind the watermark are purged, ms. */
    public static final String PARAM_TOMBSTONE_RETENTION_MILLIS = "tombstone_retention_millis";
    /** Comma-separated partitions the command is about (evidence); empty = all. */
    public static final String PARAM_PARTITIONS = "partitions";
    /** rebalance_partitions: the hot partition whose buckets move; drain_hot_partition: the partition whose task moves. */
    public static final String PARAM_FROM_PARTITION = "from_partition";
    /** rebalance_partitions: the cold partition that takes them. */
    public static final String PARAM_TO_PARTITION = "to_partition";
    /** rebalance_partitions: comma-separated cold partitions that take them in turn (wins over to_partition). */
    public static final String PARAM_TO_PARTITIONS = "to_partitions";
    /** rebalance_partitions: share of the hot partition's buckets that move, in (0, 1]; default 0.5. */
    public static final String PARAM_MOVE_FRACTION = "move_fraction";
    /** drain_hot_partition: the instance ({@code host:port}) that takes the partition's active task; default the least loaded. */
    public static final String PARAM_TO_HOST = "to_host";
    /** evict_cold_data: rows neither written nor returned for this many seconds move to the cold tier. */
    public static final String PARAM_IDLE_SECONDS = "idle_seconds";

    private Strategies() {
    }
}
