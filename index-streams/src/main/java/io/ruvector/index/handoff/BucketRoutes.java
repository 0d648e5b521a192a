package io.ruvector.index.handoff;

import io.ruvector.schemas.route.Buckets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What one index partition knows of a collection's routing: the newest partition-map epoch it
 * processed, the owner of every bucket under it, the buckets it took over whose previous owner has
 * not yet confirmed the hand-off ({@code incomingFrom}, -1 when settled), and the epoch whose rows
 * it last handed out ({@code copiedEpoch}). Immutable; persisted in the partition's store (and so
 * in its changelog) under {@link #storeKey}.
 */
public final class BucketRoutes {

    /** No peer: the bucket is settled here. */
    public static final int NONE = -1;
    private static final byte FORMAT = 1;
    private static final String KEY_PREFIX = "#routes/";

    private final String collection;
    private final int self;
    private final long epoch;
    private final int[] owners;
    private final int[] incomingFrom;
    private final long copiedEpoch;

    public BucketRoutes(String collection, int self, long epoch, int[] owners, int[] incomingFrom, long copiedEpoch) {
        this.collection = Objects.requireNonNull(collection, "collection");
        this.self = self;
        if (owners.length != Buckets.COUNT || incomingFrom.length != Buckets.COUNT) {
            throw new IllegalArgumentException("routes need " + Buckets.COUNT + " buckets, got " + owners.length + "/"
                    + incomingFrom.length);
        }
        this.epoch = epoch;
        this.owners = owners.clone();
        this.incomingFrom = incomingFrom.clone();
        this.copiedEpoch = copiedEpoch;
    }

    /** The routes partition {@code self} holds after processing an announcement of {@code epoch}. */
    public static BucketRoutes next(BucketRoutes known, String collection, long epoch, List<Integer> owners,
                                    List<Integer> announcedPrevious, int self) {
        int[] now = toArray(owners);
        int[] before = known != null ? known.owners : toArray(announcedPrevious);
        int[] incoming = new int[Buckets.COUNT];
        for (int b = 0; b < Buckets.COUNT; b++) {
            if (now[b] != self) {
                incoming[b] = NONE;
            } else if (before[b] != self) {
                incoming[b] = before[b]; // taken over now: the previous owner may still hold newer rows
            } else {
                incoming[b] = known != null ? known.incomingFrom[b] : NONE; // an earlier take-over still unconfirmed
            }
        }
        return new BucketRoutes(collection, self, epoch, now, incoming, known != null ? known.copiedEpoch : Long.MIN_VALUE);
    }

    public String collection() {
        return collection;
    }

    /** The partition these routes belong to. */
    public int self() {
        return self;
    }

    /** Whether this partition owns {@code bucket}. */
    public boolean owns(int bucket) {
        return owners[bucket] == self;
    }

    public long epoch() {
        return epoch;
    }

    public long copiedEpoch() {
        return copiedEpoch;
    }

    public int owner(int bucket) {
        return owners[bucket];
    }

    /** The previous owner of a bucket this partition took over and that has not confirmed yet, or {@link #NONE}. */
    public int incomingFrom(int bucket) {
        return incomingFrom[bucket];
    }

    /** Whether any taken-over bucket still waits for its previous owner. */
    public boolean awaitsAnyPeer() {
        return Arrays.stream(incomingFrom).anyMatch(p -> p != NONE);
    }

    /** The copy of this epoch was sent: rows of buckets owned elsewhere are handed out. */
    public BucketRoutes copied() {
        return new BucketRoutes(collection, self, epoch, owners, incomingFrom, epoch);
    }

    /** {@code peer} has handed over everything it held of this partition's buckets. */
    public BucketRoutes settledFrom(int peer) {
        int[] incoming = incomingFrom.clone();
        for (int b = 0; b < incoming.length; b++) {
            if (incoming[b] == peer) {
                incoming[b] = NONE;
            }
        }
        return new BucketRoutes(collection, self, epoch, owners, incoming, copiedEpoch);
    }

    /** Key of a collection's routes in the partition's store (never a row key: rows are {@code collection/id}). */
    public static String storeKey(String collection) {
        return KEY_PREFIX + collection;
    }

    /** Whether {@code key} of the partition's store holds routes. */
    public static boolean isStoreKey(String key) {
        return key.startsWith(KEY_PREFIX);
    }

    public byte[] encode() {
        byte[] name = collection.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + 4 + name.length + 4 + 16 + 2 * 4 * Buckets.COUNT);
        out.put(FORMAT).putInt(name.length).put(name).putInt(self).putLong(epoch).putLong(copiedEpoch);
        for (int o : owners) {
            out.putInt(o);
        }
        for (int i : incomingFrom) {
            out.putInt(i);
        }
        return out.array();
    }

    public static BucketRoutes decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown bucket-routes format " + format);
        }
        byte[] name = new byte[in.getInt()];
        in.get(name);
        int self = in.getInt();
        long epoch = in.getLong();
        long copied = in.getLong();
        int[] owners = new int[Buckets.COUNT];
        int[] incoming = new int[Buckets.COUNT];
        for (int b = 0; b < Buckets.COUNT; b++) {
            owners[b] = in.getInt();
        }
        for (int b = 0; b < Buckets.COUNT; b++) {
            incoming[b] = in.getInt();
        }
        return new BucketRoutes(new String(name, java.nio.charset.StandardCharsets.UTF_8), self, epoch, owners, incoming, copied);
    }

    private static int[] toArray(List<Integer> list) {
        if (list.size() != Buckets.COUNT) {
            throw new IllegalArgumentException("a partition map has " + Buckets.COUNT + " buckets, got " + list.size());
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
