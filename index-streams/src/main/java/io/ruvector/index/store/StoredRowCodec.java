package io.ruvector.index.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary form of a {@link StoredRow} in the changelogged key-value store (and so in its changelog
 * topic). A private, versioned format rather than Avro: the changelog is internal to the index,
 * restored only by the same code, and the leading version byte leaves room to evolve it.
 *
 * <p>Layout (big-endian): version {@code 1}, kind ({@code 1} live, {@code 2} tombstone),
 * collection, id, lsn, snapshot; live rows add tenant (nullable), dims + float32 components, and
 * metadata entries tagged null/string/long/double/boolean. Strings are int length + UTF-8.
 * Tombstones end with their commit time in ms (appended later within version 1: a reader of the
 * older layout ignores trailing bytes, and a tombstone without it decodes with
 * {@link Tombstone#UNKNOWN_COMMIT}).
 */
public final class StoredRowCodec {

    private static final byte VERSION = 1;
    private static final byte LIVE = 1;
    private static final byte TOMBSTONE = 2;
    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte BOOLEAN = 4;

    private StoredRowCodec() {
    }

    public static byte[] encode(StoredRow row) {
        byte[] collection = utf8(row.collection());
        byte[] id = utf8(row.id());
        int size = 2 + 8 + collection.length + id.length + 8 + 1;
        ByteBuffer out;
        switch (row) {
            case Tombstone dead -> {
                out = ByteBuffer.allocate(size + Long.BYTES);
                head(out, TOMBSTONE, collection, id, dead);
                out.putLong(dead.commitMillis());
            }
            case IndexedVector live -> {
                byte[] tenant = live.tenant() == null ? null : utf8(live.tenant());
                Map<byte[], Object> meta = new LinkedHashMap<>();
                int metaSize = 4;
                for (Map.Entry<String, Object> e : live.metadata().entrySet()) {
                    byte[] key = utf8(e.getKey());
                    Object value = e.getValue() instanceof String s ? utf8(s) : e.getValue();
                    meta.put(key, value);
                    metaSize += 4 + key.length + 1 + (value instanceof byte[] b ? 4 + b.length : value == null ? 0 : 8);
                }
                out = ByteBuffer.allocate(size + 1 + (tenant == null ? 0 : 4 + tenant.length)
                        + 4 + live.dimensions() * Float.BYTES + metaSize);
                head(out, LIVE, collection, id, live);
                out.put(tenant == null ? 0 : (byte) 1);
                if (tenant != null) {
                    out.putInt(tenant.length).put(tenant);
                }
                out.putInt(live.dimensions());
                out.asFloatBuffer().put(live.vector());
                out.position(out.position() + live.dimensions() * Float.BYTES);
                out.putInt(meta.size());
                meta.forEach((key, value) -> putValue(out.putInt(key.length).put(key), value));
            }
        }
        return out.array();
    }

    public static StoredRow decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalStateException("stored row format version " + version + " is not " + VERSION
                    + "; the changelog was written by a newer index");
        }
        byte kind = in.get();
        String collection = string(in);
        String id = string(in);
        long lsn = in.getLong();
        boolean snapshot = in.get() != 0;
        if (kind == TOMBSTONE) {
            long commitMillis = in.remaining() >= Long.BYTES ? in.getLong() : Tombstone.UNKNOWN_COMMIT;
            return new Tombstone(collection, id, lsn, snapshot, commitMillis);
        }
        String tenant = in.get() != 0 ? string(in) : null;
        float[] vector = new float[in.getInt()];
        in.asFloatBuffer().get(vector);
        in.position(in.position() + vector.length * Float.BYTES);
        int entries = in.getInt();
        Map<String, Object> metadata = new LinkedHashMap<>(entries * 2);
        for (int i = 0; i < entries; i++) {
            String key = string(in);
            byte tag = in.get();
            metadata.put(key, switch (tag) {
                case NULL -> null;
                case STRING -> string(in);
                case LONG -> in.getLong();
                case DOUBLE -> in.getDouble();
                case BOOLEAN -> in.getLong() != 0;
                default -> throw new IllegalStateException("unknown metadata tag " + tag);
            });
        }
        return new IndexedVector(collection, id, tenant, vector, metadata, lsn, snapshot);
    }

    /**
     * The vector of a stored live row without decoding the rest (the cold tier's re-score reads
     * only this), or null for a tombstone.
     */
    public static float[] decodeVector(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalStateException("stored row format version " + version + " is not " + VERSION
                    + "; the changelog was written by a newer index");
        }
        if (in.get() == TOMBSTONE) {
            return null;
        }
        skipString(in); // collection
        skipString(in); // id
        in.position(in.position() + Long.BYTES + 1); // lsn, snapshot
        if (in.get() != 0) {
            skipString(in); // tenant
        }
        float[] vector = new float[in.getInt()];
        in.asFloatBuffer().get(vector);
        return vector;
    }

    private static void skipString(ByteBuffer in) {
        int length = in.getInt();
        in.position(in.position() + length);
    }

    private static void head(ByteBuffer out, byte kind, byte[] collection, byte[] id, StoredRow row) {
        out.put(VERSION).put(kind);
        out.putInt(collection.length).put(collection).putInt(id.length).put(id);
        out.putLong(row.lsn()).put(row.snapshot() ? (byte) 1 : 0);
    }

    private static void putValue(ByteBuffer out, Object value) {
        switch (value) {
            case null -> out.put(NULL);
            case byte[] s -> out.put(STRING).putInt(s.length).put(s);
            case Long l -> out.put(LONG).putLong(l);
            case Double d -> out.put(DOUBLE).putDouble(d);
            case Boolean b -> out.put(BOOLEAN).putLong(b ? 1 : 0);
            default -> throw new IllegalArgumentException("metadata value of type " + value.getClass().getName()
                    + " is not null, string, long, double or boolean");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
