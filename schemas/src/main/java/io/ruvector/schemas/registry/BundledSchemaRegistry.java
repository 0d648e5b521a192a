package io.ruvector.schemas.registry;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The registry used when no registry URL is configured (the embedded default).
 *
 * <p>Ids are content-addressed: the schema's CRC-64 parsing fingerprint
 * ({@link SchemaNormalization#parsingFingerprint64}) folded to a positive int (see
 * {@link #fingerprintId}). So every process computes the same id for the same schema without
 * talking to anyone, and the subject plays no part. The bundled schemas are known at
 * construction; every schema handed an id is first recorded to the {@link SchemaLog} (once
 * per process), and an id this process has never seen is resolved by re-reading the log.
 *
 * <p>Collisions: two different schemas (different parsing canonical forms) can fold to the
 * same 31-bit id, with odds of about n²/2³² for n schemas (~1e-7 for 30). That is detected,
 * never silently accepted: registering, preloading or reading from the log a schema whose id
 * is already held by a different schema throws {@link SchemaRegistryException} naming both;
 * the fix is to change the new schema (e.g. a field or record name) or to use a
 * Confluent registry. A log entry whose id does not match its schema's fingerprint fails the
 * same way (a corrupt log, or one written by another id scheme).
 *
 * <p>Thread-safe. Log writes and re-reads are serialised on one lock; lookups of known ids
 * and repeat registrations are lock-free map reads.
 */
public final class BundledSchemaRegistry implements SchemaRegistry {

    private final SchemaLog log;
    private final ToIntFunction<Schema> idFunction;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<Schema, Integer> idBySchema = new ConcurrentHashMap<>();
    private final Set<Integer> logged = ConcurrentHashMap.newKeySet();
    private final Object logLock = new Object();

    /** A registry over {@code log}, preloaded with {@link RuvectorSchemas#all()}. */
    public BundledSchemaRegistry(SchemaLog log) {
        this(log, RuvectorSchemas.all(), BundledSchemaRegistry::fingerprintId);
    }

    /** For tests: a chosen id function (to force collisions) and preloaded schemas. */
    BundledSchemaRegistry(SchemaLog log, Collection<Schema> preloaded, ToIntFunction<Schema> idFunction) {
        this.log = Objects.requireNonNull(log, "log");
        this.idFunction = Objects.requireNonNull(idFunction, "idFunction");
        for (Schema schema : preloaded) {
            remember(idOf(schema), schema, "bundled");
        }
    }

    /**
     * The id of {@code schema}: its 64-bit parsing fingerprint, high half XOR low half, sign
     * bit cleared; 0 becomes 1 (Confluent registries never hand out 0, some tools treat it as
     * unset). Ignores docs, defaults and other attributes, like the fingerprint does.
     */
    public static int fingerprintId(Schema schema) {
        long fp = SchemaNormalization.parsingFingerprint64(schema);
        int folded = (int) (fp ^ (fp >>> 32)) & 0x7fffffff;
        return folded == 0 ? 1 : folded;
    }

    @Override
    public int register(String subject, Schema schema) {
        Objects.requireNonNull(schema, "schema");
        int id = idOf(schema);
        remember(id, schema, "subject '" + subject + "'");
        if (!logged.contains(id)) {
            synchronized (logLock) {
                if (!logged.contains(id)) {
                    try {
                        log.record(id, schema);
                    } catch (RuntimeException e) {
                        throw new SchemaRegistryException("cannot record schema " + schema.getFullName()
                                + " (id " + id + ") to " + log + ": " + e.getMessage(), e);
                    }
                    logged.add(id);
                }
            }
        }
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema != null) {
            return schema;
        }
        synchronized (logLock) {
            schema = byId.get(id);
            if (schema == null) {
                reloadFromLog();
                schema = byId.get(id);
            }
        }
        if (schema == null) {
            throw new SchemaRegistryException("unknown schema id " + id + ": not bundled with this build and not in "
                    + log + " (written by a process using another schema registry or another cluster?)");
        }
        return schema;
    }

    private void reloadFromLog() {
        Map<Integer, Schema> all;
        try {
            all = log.readAll();
        } catch (RuntimeException e) {
            throw new SchemaRegistryException("cannot read " + log + ": " + e.getMessage(), e);
        }
        for (Map.Entry<Integer, Schema> entry : all.entrySet()) {
            int expected = idOf(entry.getValue());
            if (expected != entry.getKey()) {
                throw new SchemaRegistryException(log + " holds schema " + entry.getValue().getFullName() + " under id "
                        + entry.getKey() + " but its fingerprint id is " + expected
                        + ": the log is corrupt or was written with another id scheme");
            }
            remember(entry.getKey(), entry.getValue(), String.valueOf(log));
            logged.add(entry.getKey());
        }
    }

    private int idOf(Schema schema) {
        Integer cached = idBySchema.get(schema);
        if (cached != null) {
            return cached;
        }
        int id = idFunction.applyAsInt(schema);
        idBySchema.putIfAbsent(schema, id);
        return id;
    }

    private void remember(int id, Schema schema, String origin) {
        Schema existing = byId.putIfAbsent(id, schema);
        if (existing != null && !existing.equals(schema)
                && !SchemaNormalization.toParsingForm(existing).equals(SchemaNormalization.toParsingForm(schema))) {
            throw new SchemaRegistryException("schema id collision: id " + id + " already belongs to "
                    + SchemaNormalization.toParsingForm(existing) + " but " + origin + " maps "
                    + SchemaNormalization.toParsingForm(schema) + " to it too. Two different schemas folded to the"
                    + " same 31-bit fingerprint id; change the new schema or configure a Confluent schema registry");
        }
    }

    @Override
    public void close() {
        try {
            log.close();
        } catch (Exception e) {
            throw new SchemaRegistryException("cannot close " + log + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "BundledSchemaRegistry[" + log + "]";
    }
}
