package io.ruvector.index.store;

import io.ruvector.schemas.VectorChange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The idempotent apply rules of {@code docs/topics.md}, as a pure function from (what is stored
 * for the id, incoming change) to a {@link Decision}. Pure so that the rules are tested without
 * any Kafka Streams plumbing, and shared by every store implementation.
 *
 * <p>Per id: a streamed change ({@code snapshot == false}) supersedes a snapshot read; among
 * changes of the same kind the higher LSN wins, and an equal or lower LSN is a replay (dropped);
 * {@code DELETE} leaves a {@link Tombstone} carrying its LSN, so an older replayed {@code UPSERT}
 * cannot resurrect the row; {@code METADATA} replaces metadata and keeps the stored vector (and is
 * ignored for an id that has no live row); {@code UPSERT} replaces vector and metadata.
 *
 * <p>Sparse ({@code sparsevec}) upserts are not indexed in this slice: they are dropped with
 * {@link DropReason#SPARSE_UNSUPPORTED} so operators can see them in the counters.
 */
public final class ApplyRules {

    private ApplyRules() {
    }

    /** Why a change left the store untouched. */
    public enum DropReason {
        /** Same kind (snapshot/stream) and an LSN not above the stored one: a redelivery. */
        REPLAY,
        /** A snapshot read arriving after a streamed change for the same id. */
        SUPERSEDED_BY_STREAM,
        /** {@code METADATA} for an id without a live row: no vector to keep. */
        METADATA_WITHOUT_ROW,
        /** A sparse vector; this slice indexes dense vectors only. */
        SPARSE_UNSUPPORTED,
        /** An {@code UPSERT} without any vector (cdc-ingest dead-letters these; defensive). */
        MISSING_VECTOR,
        /** A vector whose dimension differs from the collection's existing rows. */
        DIMENSION_MISMATCH
    }

    /** Outcome of one change: store {@link Apply#row()} under the id, or leave it as it is. */
    public sealed interface Decision permits Apply, Drop {
    }

    /** Replace what is stored for the id with {@code row}. */
    public record Apply(StoredRow row) implements Decision {
        public Apply {
            Objects.requireNonNull(row, "row");
        }
    }

    /** Leave the store untouched, for {@code reason}. */
    public record Drop(DropReason reason) implements Decision {
        public Drop {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Decides what {@code change} does given {@code current}, the stored state of the same id
     * ({@code null} when the id was never seen). Dimension checks are the caller's (it knows the
     * collection).
     */
    public static Decision decide(StoredRow current, VectorChange change) {
        Objects.requireNonNull(change, "change");
        if (current != null && !supersedes(change.getLsn(), change.getSnapshot(), current)) {
            return new Drop(current.snapshot() || !change.getSnapshot() ? DropReason.REPLAY
                    : DropReason.SUPERSEDED_BY_STREAM);
        }
        return switch (change.getOp()) {
            case DELETE -> new Apply(new Tombstone(change.getCollection(), change.getId(), change.getLsn(),
                    change.getSnapshot(), change.getCommitTimeMicros() / 1_000));
            case METADATA -> current instanceof IndexedVector live
                    ? new Apply(new IndexedVector(live.collection(), live.id(),
                            change.getTenant() != null ? change.getTenant() : live.tenant(), live.vector(),
                            metadata(change), change.getLsn(), change.getSnapshot()))
                    : new Drop(DropReason.METADATA_WITHOUT_ROW);
            case UPSERT -> upsert(change);
        };
    }

    /** Whether a change with ({@code lsn}, {@code snapshot}) replaces {@code current}. */
    public static boolean supersedes(long lsn, boolean snapshot, StoredRow current) {
        if (current.snapshot() != snapshot) {
            return current.snapshot(); // a streamed change beats a snapshot read, never the reverse
        }
        return lsn > current.lsn();
    }

    private static Decision upsert(VectorChange change) {
        ByteBuffer bytes = change.getVector();
        if (bytes == null) {
            return new Drop(change.getSparse() != null ? DropReason.SPARSE_UNSUPPORTED : DropReason.MISSING_VECTOR);
        }
        float[] vector = toFloats(bytes);
        if (vector.length == 0) {
            return new Drop(DropReason.MISSING_VECTOR);
        }
        return new Apply(new IndexedVector(change.getCollection(), change.getId(), change.getTenant(), vector,
                metadata(change), change.getLsn(), change.getSnapshot()));
    }

    /** Dense float32 little-endian bytes, as written by cdc-ingest, to a fresh array. */
    public static float[] toFloats(ByteBuffer bytes) {
        ByteBuffer le = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (le.remaining() % Float.BYTES != 0) {
            throw new IllegalArgumentException("vector bytes length " + le.remaining() + " is not a multiple of 4");
        }
        float[] out = new float[le.remaining() / Float.BYTES];
        le.asFloatBuffer().get(out);
        return out;
    }

    /** Avro may hand strings over as {@code Utf8}; the index keeps plain {@link String}s. */
    private static Map<String, Object> metadata(VectorChange change) {
        Map<String, Object> in = change.getMetadata();
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>(in.size() * 2);
        in.forEach((k, v) -> out.put(k.toString(), v instanceof CharSequence s ? s.toString() : v));
        return out;
    }
}
