package io.ruvector.index.topology;

import io.ruvector.index.handoff.HandOffCoordinator;
import io.ruvector.index.store.ApplyRules;
import io.ruvector.index.store.VectorIndexStore;
import io.ruvector.index.telemetry.PartitionActivity;
import io.ruvector.index.telemetry.PartitionCounters;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.HandOffAck;
import io.ruvector.schemas.HandOffDone;
import io.ruvector.schemas.RouteChange;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each {@code ruvector.vectors} record to the partition's {@link VectorIndexStore}:
 * a {@link VectorChange} under the apply rules, a {@link Watermark} (null key, sent to every
 * partition after the changes it covers) by raising the watermark. Order within the partition is
 * what makes the watermark true, so this processor never reorders or buffers. The bucket hand-off
 * records ({@link RouteChange}, {@link HandOffDone}, {@link HandOffAck}) go to the
 * {@link HandOffCoordinator}, and a change of a bucket owned elsewhere is forwarded, not applied;
 * the only records it emits are those, back into the vectors topic ({@link Routed}).
 *
 * <p>Before anything else it points the store at the collection specs (global store), and every
 * {@code specRefresh} of wall-clock time it has the store re-read them, so a changed
 * {@code hnswM}, {@code hnswEfConstruction} or metric rebuilds that collection's graph here, on
 * the stream thread (a rare event; the apply path itself never rebuilds).
 *
 * <p>Each change's apply time and outcome go to the partition's {@link PartitionCounters}: a
 * change dropped because the index cannot hold it counts as an error, an idempotent drop (replay)
 * does not.
 */
final class VectorChangeProcessor implements Processor<String, SpecificRecord, String, Routed> {

    private static final Logger LOG = LoggerFactory.getLogger(VectorChangeProcessor.class);

    private final String storeName;
    private final Duration specRefresh;
    private final PartitionActivity activity;
    private VectorIndexStore store;
    private PartitionCounters counters;
    private HandOffCoordinator handOff;

    VectorChangeProcessor(String storeName, Duration specRefresh, PartitionActivity activity) {
        this.storeName = storeName;
        this.specRefresh = specRefresh;
        this.activity = activity;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        store = context.getStateStore(storeName);
        counters = activity.partition(context.taskId().partition());
        handOff = new HandOffCoordinator(store, context.taskId().partition(), (partition, key, value, copy) -> {
            Headers headers = new RecordHeaders();
            if (copy) {
                headers.add(HandOffCoordinator.COPY_HEADER, new byte[0]);
            }
            context.forward(new Record<>(key, new Routed(partition, value), System.currentTimeMillis(), headers));
        });
        KeyValueStore<String, CollectionSpec> specs = context.getStateStore(IndexTopology.SPECS_STORE_NAME);
        store.useParams(new SpecParamsLookup(specs));
        store.useTiering(SpecTiering.copyOf(specs));
        store.warmSoon(); // after a restore: build the index now, beside the other partitions', not on first use
        context.schedule(specRefresh, PunctuationType.WALL_CLOCK_TIME, now -> {
            store.refreshParams();
            store.useTiering(SpecTiering.copyOf(specs));
            if (store.snapshotDue()) {
                context.commit(); // a bulk load has settled: its commit writes the graphs, not one up to an interval later
            }
        });
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        switch (record.value()) {
            case VectorChange change -> {
                if (!handOff.fence(change)) {
                    apply(change, record.headers().lastHeader(HandOffCoordinator.COPY_HEADER) != null);
                }
            }
            case Watermark watermark -> store.advanceWatermark(watermark.getLsn());
            case RouteChange route -> handOff.onRouteChange(route);
            case HandOffDone done -> handOff.onDone(done);
            case HandOffAck ack -> handOff.onAck(ack);
            case DeadLetter dead -> LOG.debug("Ignoring a dead letter on the vectors topic for {}", record.key());
            case null -> LOG.debug("Ignoring a null value for key {}", record.key());
            default -> LOG.warn("Ignoring a {} on the vectors topic (key {})",
                    record.value().getClass().getSimpleName(), record.key());
        }
    }

    private void apply(VectorChange change, boolean copy) {
        if (copy) { // a hand-off copy: the row moved, it was not written now
            store.apply(change);
            return;
        }
        long start = System.nanoTime();
        ApplyRules.Decision decision;
        try {
            decision = store.apply(change);
        } catch (RuntimeException e) { // fails the task; still counted so the sample shows it
            counters.applied(change.getCollection(), System.nanoTime() - start, false, true, change.getCommitTimeMicros());
            throw e;
        }
        counters.applied(change.getCollection(), System.nanoTime() - start, decision instanceof ApplyRules.Apply,
                isError(decision), change.getCommitTimeMicros());
    }

    /** A change the index could not hold is an error; the idempotent drops of a redelivery are not. */
    static boolean isError(ApplyRules.Decision decision) {
        return switch (decision) {
            case ApplyRules.Apply apply -> false;
            case ApplyRules.Drop(ApplyRules.DropReason reason) -> switch (reason) {
                case DIMENSION_MISMATCH, MISSING_VECTOR -> true;
                // SPARSE_UNSUPPORTED is this slice's known limit, counted by the store's drop counters:
                // as an error it would read every sparse collection as failing.
                case REPLAY, SUPERSEDED_BY_STREAM, METADATA_WITHOUT_ROW, SPARSE_UNSUPPORTED -> false;
            };
        };
    }
}
