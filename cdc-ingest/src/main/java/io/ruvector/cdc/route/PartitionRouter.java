package io.ruvector.cdc.route;

import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.PartitionMap;
import io.ruvector.schemas.route.Buckets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes a collection's ids to partitions of the vectors topic: {@code bucket = murmur2(id) mod
 * 4096}, {@code partition = map[bucket]} from the collection's current {@link PartitionMap}.
 * Without a published map, buckets spread round-robin over the collection's partitions (epoch 0).
 * Rebalancing publishes a higher epoch; an older epoch never replaces a newer one.
 *
 * <p>{@link #routingLock()} orders routing against epoch changes: the publisher routes and sends
 * a batch while holding it, and {@link RouteAnnouncer} installs a new epoch and announces it while
 * holding it, so every partition receives all changes routed by an epoch before its announcement.
 */
public final class PartitionRouter {

    public static final int BUCKETS = Buckets.COUNT;

    private final int topicPartitions;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Object routingLock = new Object();

    public PartitionRouter(int topicPartitions) {
        if (topicPartitions < 1) {
            throw new IllegalArgumentException("topicPartitions must be >= 1, got " + topicPartitions);
        }
        this.topicPartitions = topicPartitions;
    }

    public static int bucketOf(String id) {
        return Buckets.of(id);
    }

    /** Held while a batch is routed and sent, and while an epoch is installed and announced. */
    public Object routingLock() {
        return routingLock;
    }

    /** The installed map of {@code collection}, or null when none was published (epoch 0 applies). */
    public PartitionMap installed(String collection) {
        Route r = routes.get(collection);
        return r == null ? null : r.map;
    }

    /** Partition of the id in the collection's current map. */
    public int partitionOf(CollectionSpec spec, String id) {
        return route(spec).buckets[bucketOf(id)];
    }

    public long epochOf(CollectionSpec spec) {
        return route(spec).epoch;
    }

    /** Installs a published map unless a newer epoch is already installed; returns whether it was. */
    public boolean install(PartitionMap map) {
        if (map.getBuckets().size() != BUCKETS) {
            throw new IllegalArgumentException("partition map of " + map.getCollection() + " has "
                    + map.getBuckets().size() + " buckets, expected " + BUCKETS);
        }
        int[] buckets = new int[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            int p = map.getBuckets().get(i);
            if (p < 0 || p >= topicPartitions) {
                throw new IllegalArgumentException("partition map of " + map.getCollection() + " routes bucket "
                        + i + " to partition " + p + ", the topic has " + topicPartitions);
            }
            buckets[i] = p;
        }
        Route next = new Route(map.getEpoch(), buckets, map);
        Route merged = routes.merge(map.getCollection(), next, (old, now) -> now.epoch > old.epoch ? now : old);
        return merged == next;
    }

    /** The epoch-0 map of a collection: buckets round-robin over min(spec.partitions, topic partitions). */
    public PartitionMap initialMap(CollectionSpec spec) {
        int n = Math.max(1, Math.min(spec.getPartitions(), topicPartitions));
        List<Integer> buckets = new ArrayList<>(BUCKETS);
        for (int i = 0; i < BUCKETS; i++) {
            buckets.add(i % n);
        }
        return PartitionMap.newBuilder().setCollection(spec.getName()).setEpoch(0).setBuckets(buckets).build();
    }

    public int topicPartitions() {
        return topicPartitions;
    }

    private Route route(CollectionSpec spec) {
        Route r = routes.get(spec.getName());
        if (r == null) {
            install(initialMap(spec));
            r = routes.get(spec.getName());
        }
        return r;
    }

    private record Route(long epoch, int[] buckets, PartitionMap map) {
    }
}
