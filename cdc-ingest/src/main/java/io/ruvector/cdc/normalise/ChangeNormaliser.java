package io.ruvector.cdc.normalise;

import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.VectorChange;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns Debezium change envelopes of registered tables into {@link VectorChange}s, or into
 * dead letters with a reason. Pure: no I/O, so every rule is unit-testable.
 *
 * <p>Rules: INSERT/READ/UPDATE become UPSERT; DELETE becomes DELETE keyed by the old primary
 * key; an UPDATE whose vector was an unchanged TOASTed value becomes METADATA (the stored
 * vector is kept, never wiped); an UPDATE that sets the vector to NULL becomes DELETE (the row
 * is no longer searchable, as in pgvector). Vectors must have the collection's dimension and
 * finite components; INSERTs must have a vector.
 */
public final class ChangeNormaliser {

    /** Prefix of the logical decoding messages that carry capture watermarks. */
    public static final String WATERMARK_MESSAGE_PREFIX = "ruvector.wm";

    private final Function<String, CollectionSpec> collectionsByTable;
    private final Clock clock;

    /**
     * @param collectionsByTable the collection registered for a schema-qualified table, or null
     */
    public ChangeNormaliser(Function<String, CollectionSpec> collectionsByTable, Clock clock) {
        this.collectionsByTable = Objects.requireNonNull(collectionsByTable, "collectionsByTable");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Normalised normalise(SourceRecord record) {
        if (!(record.value() instanceof Struct envelope)) {
            return new Normalised.Skipped("tombstone or heartbeat", offsetLsn(record));
        }
        Struct source = optionalStruct(envelope, "source");
        long lsn = source == null ? offsetLsn(record) : lsnOf(source, record);
        String op = optionalString(envelope, "op");
        if (op == null) {
            return new Normalised.Skipped("no op: not a change event", lsn);
        }
        if (op.equals("m")) {
            return new Normalised.Position(lsn);
        }
        String table = source.getString("schema") + "." + source.getString("table");
        CollectionSpec spec = collectionsByTable.apply(table);
        if (spec == null) {
            return new Normalised.Skipped("table " + table + " is not registered", lsn);
        }
        Struct before = optionalStruct(envelope, "before");
        Struct after = optionalStruct(envelope, "after");
        try {
            return switch (op) {
                case "c", "r", "u" -> upsert(spec, op, after, source, lsn);
                case "d" -> delete(spec, before, source, lsn);
                default -> new Normalised.Skipped("operation '" + op + "' is not indexed", lsn);
            };
        } catch (InvalidChangeException e) {
            Struct row = after != null ? after : before;
            return reject(spec.getName(), table, op, row, spec, e.getMessage(), lsn);
        }
    }

    private Normalised upsert(CollectionSpec spec, String op, Struct after, Struct source, long lsn) {
        if (after == null) {
            throw new InvalidChangeException("change has no row image ('after' is null)");
        }
        VectorChange.Builder change = base(spec, after, source, lsn, true);
        Object raw = field(after, spec.getVectorColumn());
        if (raw instanceof byte[] bytes && bytes.length == 0) {
            // unchanged TOASTed vector (VectorWireFormat.UNAVAILABLE): keep what the index has
            return accepted(change.setOp(ChangeOp.METADATA));
        }
        if (raw == null) {
            if (op.equals("u")) {
                return accepted(change.setOp(ChangeOp.DELETE).setMetadata(Map.of()));
            }
            throw new InvalidChangeException("vector column " + spec.getVectorColumn() + " is null on insert");
        }
        change.setOp(ChangeOp.UPSERT);
        VectorValues.read(spec, raw, change);
        return accepted(change);
    }

    private Normalised delete(CollectionSpec spec, Struct before, Struct source, long lsn) {
        if (before == null) {
            throw new InvalidChangeException("delete without the old row's key (table REPLICA IDENTITY NOTHING?)");
        }
        // With the default replica identity the old row holds only the key: a delete needs no tenant.
        VectorChange.Builder change = base(spec, before, source, lsn, false).setOp(ChangeOp.DELETE).setMetadata(Map.of());
        return accepted(change);
    }

    private VectorChange.Builder base(CollectionSpec spec, Struct row, Struct source, long lsn, boolean tenantRequired) {
        Object id = field(row, spec.getIdColumn());
        if (id == null) {
            throw new InvalidChangeException("id column " + spec.getIdColumn() + " is null");
        }
        String tenant = null;
        if (spec.getTenantColumn() != null) {
            Object t = field(row, spec.getTenantColumn());
            if (t == null && tenantRequired) {
                throw new InvalidChangeException("tenant column " + spec.getTenantColumn() + " is null");
            }
            tenant = t == null ? null : t.toString();
        }
        Map<String, Object> metadata = new HashMap<>();
        if (tenantRequired) {
            for (String column : spec.getMetadataColumns()) {
                metadata.put(column, MetadataValues.of(field(row, column)));
            }
        }
        Long txId = source.schema().field("txId") == null ? null : source.getInt64("txId");
        return VectorChange.newBuilder()
                .setCollection(spec.getName())
                .setId(id.toString())
                .setTenant(tenant)
                .setVector(null)
                .setSparse(null)
                .setMetadata(metadata)
                .setLsn(lsn)
                .setTxId(txId)
                .setCommitTimeMicros(commitMicros(source))
                .setSnapshot(isSnapshot(source))
                .setPartitionMapEpoch(0);
    }

    private static Normalised accepted(VectorChange.Builder change) {
        return new Normalised.Accepted(change.build());
    }

    private Normalised reject(String collection, String table, String op, Struct row, CollectionSpec spec,
                              String reason, long lsn) {
        Object id = row == null || row.schema().field(spec.getIdColumn()) == null ? null : row.get(spec.getIdColumn());
        DeadLetter letter = DeadLetter.newBuilder()
                .setCollection(collection)
                .setTable(table)
                .setId(id == null ? null : id.toString())
                .setOp(op)
                .setReason(reason)
                .setLsn(lsn < 0 ? null : lsn)
                .setPayload(RowJson.of(row))
                .setFailedAtMillis(clock.millis())
                .build();
        return new Normalised.Rejected(letter, lsn);
    }

    private static Object field(Struct row, String column) {
        Field f = row.schema().field(column);
        if (f == null) {
            throw new InvalidChangeException("column " + column + " is not in the captured row");
        }
        return row.get(f);
    }

    private static long lsnOf(Struct source, SourceRecord record) {
        Field f = source.schema().field("lsn");
        Object lsn = f == null ? null : source.get(f);
        return lsn instanceof Long l ? l : offsetLsn(record);
    }

    static long offsetLsn(SourceRecord record) {
        Map<String, ?> offset = record.sourceOffset();
        Object lsn = offset == null ? null : offset.get("lsn");
        return lsn instanceof Number n ? n.longValue() : -1;
    }

    private static long commitMicros(Struct source) {
        Field us = source.schema().field("ts_us");
        if (us != null && source.get(us) instanceof Long micros) {
            return micros;
        }
        Object ms = source.get("ts_ms");
        return ms instanceof Long millis ? millis * 1000 : 0;
    }

    private static boolean isSnapshot(Struct source) {
        Object s = source.schema().field("snapshot") == null ? null : source.get("snapshot");
        return s != null && !"false".equals(s.toString());
    }

    private static Struct optionalStruct(Struct s, String name) {
        Field f = s.schema().field(name);
        return f == null ? null : (Struct) s.get(f);
    }

    private static String optionalString(Struct s, String name) {
        Field f = s.schema().field(name);
        return f == null ? null : (String) s.get(f);
    }
}
