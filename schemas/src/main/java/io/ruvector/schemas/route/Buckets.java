package io.ruvector.schemas.route;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The bucket of a row: {@code murmur2(id) mod 4096}. The capture routes by it (bucket → partition
 * from the collection's {@code PartitionMap}) and the index hands rows over by it when a bucket
 * changes owner, so both sides must compute it the same way: here, once.
 */
public final class Buckets {

    /** Buckets per collection; the length of every {@code PartitionMap.buckets}. */
    public static final int COUNT = 4096;

    private Buckets() {
    }

    /** The bucket of {@code id} (the row's primary key as text). */
    public static int of(String id) {
        return Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % COUNT;
    }
}
