package io.ruvector.index.topology;

import io.ruvector.index.store.VectorIndexStore;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each {@code ruvector.vectors} record to the partition's {@link VectorIndexStore}:
 * a {@link VectorChange} under the apply rules, a {@link Watermark} (null key, sent to every
 * partition after the changes it covers) by raising the watermark. Order within the partition is
 * what makes the watermark true, so this processor never reorders or buffers. Emits nothing.
 */
final class VectorChangeProcessor implements Processor<String, SpecificRecord, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(VectorChangeProcessor.class);

    private final String storeName;
    private VectorIndexStore store;

    VectorChangeProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        switch (record.value()) {
            case VectorChange change -> store.apply(change);
            case Watermark watermark -> store.advanceWatermark(watermark.getLsn());
            case DeadLetter dead -> LOG.debug("Ignoring a dead letter on the vectors topic for {}", record.key());
            case null -> LOG.debug("Ignoring a null value for key {}", record.key());
            default -> LOG.warn("Ignoring a {} on the vectors topic (key {})",
                    record.value().getClass().getSimpleName(), record.key());
        }
    }
}
