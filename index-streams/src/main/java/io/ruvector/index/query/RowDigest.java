package io.ruvector.index.query;

import java.nio.charset.StandardCharsets;

/**
 * The 64-bit fingerprint of one row's id and vector, the unit of a consistency check between a
 * table and the index: both sides hash what they hold the same way and compare sums per bucket
 * ({@link BucketDigestsQuery}), then rows only in the buckets that differ ({@link BucketRowsQuery}).
 *
 * <p>FNV-1a over the id's UTF-8 bytes and the float32 bits of the vector, finished with
 * MurmurHash3's 64-bit mixer so that sums of fingerprints do not cancel along the input's low
 * bits. {@code -0.0} and {@code 0.0} hash alike (pgvector prints both as 0; they compare equal).
 */
public final class RowDigest {

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private RowDigest() {
    }

    /** The fingerprint of {@code id} holding {@code vector}. */
    public static long of(String id, float[] vector) {
        long h = OFFSET;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * PRIME;
        }
        h = (h ^ 0xff) * PRIME; // separates the id from the vector
        for (float f : vector) {
            int bits = f == 0f ? 0 : Float.floatToIntBits(f);
            for (int shift = 0; shift < 32; shift += 8) {
                h = (h ^ ((bits >>> shift) & 0xff)) * PRIME;
            }
        }
        return mix(h);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
