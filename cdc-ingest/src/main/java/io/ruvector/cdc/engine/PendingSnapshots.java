package io.ruvector.cdc.engine;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Tables whose blocking snapshot was requested and has not delivered its last row yet. While
 * any is pending, watermarks are held back: a watermark promises that everything committed
 * before it has been delivered, and a newly registered table's existing rows arrive only
 * through its snapshot. A snapshot that never reports its end (the table was emptied in the
 * meantime) is released after a deadline, with a warning.
 */
final class PendingSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(PendingSnapshots.class);

    private final Map<String, Long> deadlines = new ConcurrentHashMap<>();
    /** Tables whose snapshot rows (initial or blocking) are arriving now; read by the telemetry thread. */
    private final Map<String, Long> loading = new ConcurrentHashMap<>(); // table → when its first snapshot row came
    /** Table → when its latest snapshot row came: a snapshot published between two samples is still reported. */
    private final Map<String, Long> lastSnapshotRow = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration patience;
    private final Consumer<String> onFinished;

    /** @param onFinished told about every table whose pending snapshot ended (completed or given up) */
    PendingSnapshots(Clock clock, Duration patience, Consumer<String> onFinished) {
        this.clock = clock;
        this.patience = patience;
        this.onFinished = onFinished;
    }

    void add(String table) {
        deadlines.put(table, clock.millis() + patience.toMillis());
    }

    /**
     * Whether {@code table}'s snapshot rows were arriving within the last {@code window}: the
     * capture can publish a whole snapshot between two integrity samples, while the index is still
     * far from applying it.
     */
    boolean loadedWithin(String table, Duration window) {
        Long last = lastSnapshotRow.get(table);
        return isLoading(table) || last != null && clock.millis() - last <= window.toMillis();
    }

    /** Whether {@code table}'s existing rows are still arriving through a snapshot. */
    boolean isLoading(String table) {
        return loading.containsKey(table) || deadlines.containsKey(table);
    }

    /**
     * Follows the snapshot marker of every captured row: a snapshot row other than the last marks its
     * table loading, the last one (or a streamed row of it) ends that, and ends a pending snapshot.
     */
    void observe(SourceRecord record) {
        if (!(record.value() instanceof Struct envelope)) {
            return;
        }
        Field sourceField = envelope.schema().field("source");
        if (sourceField == null || !(envelope.get(sourceField) instanceof Struct source)) {
            return;
        }
        Field marker = source.schema().field("snapshot");
        Object value = marker == null ? null : source.get(marker);
        boolean streamed = value == null || "false".equals(value);
        if (streamed && loading.isEmpty() || source.schema().field("table") == null
                || source.schema().field("schema") == null) {
            return; // the common case (a streamed row, nothing loading), or not a table's row
        }
        String table = source.getString("schema") + "." + source.getString("table");
        if (streamed) {
            loading.remove(table); // streamed again: its snapshot is over
            return;
        }
        lastSnapshotRow.put(table, clock.millis());
        if (!"last".equals(value) && !"last_in_data_collection".equals(value)) {
            loading.putIfAbsent(table, clock.millis());
            return;
        }
        loading.remove(table);
        if (deadlines.remove(table) != null) {
            LOG.info("snapshot of {} complete", table);
            onFinished.accept(table);
        }
    }

    /**
     * Whether watermarks may advance: no snapshot pending (expired ones are released) and none
     * mid-delivery. The second matters for a deployment's first, initial snapshot, which has no
     * pending entry: its rows carry the slot's start LSN, and a watermark at that LSN before the
     * last row would tell a {@code min_lsn} read at that very position that the table is complete.
     */
    boolean isEmpty() {
        if (!loading.isEmpty()) {
            long now = clock.millis();
            // a snapshot cut off without its last row (the engine restarted mid-way) must not hold watermarks for ever
            loading.entrySet().removeIf(e -> {
                boolean expired = now - e.getValue() > patience.toMillis();
                if (expired) {
                    LOG.warn("snapshot rows of {} stopped without a last row {} ago; watermarks advance again", e.getKey(),
                            patience);
                }
                return expired;
            });
            if (!loading.isEmpty()) {
                return false;
            }
        }
        if (deadlines.isEmpty()) {
            return true;
        }
        long now = clock.millis();
        deadlines.entrySet().removeIf(e -> {
            boolean expired = e.getValue() < now;
            if (expired) {
                LOG.warn("snapshot of {} did not report its end within {}; watermarks advance again", e.getKey(), patience);
                onFinished.accept(e.getKey());
            }
            return expired;
        });
        return deadlines.isEmpty();
    }
}
