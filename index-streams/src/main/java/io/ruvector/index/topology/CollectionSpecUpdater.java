package io.ruvector.index.topology;

import io.ruvector.schemas.CollectionSpec;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global {@value IndexTopology#SPECS_STORE_NAME} store equal to the compacted
 * collections topic: the latest {@link CollectionSpec} per collection, a null value deletes it.
 * Runs on the global thread; restoration after a restart bypasses it and copies the topic as is,
 * which is the same thing.
 */
final class CollectionSpecUpdater implements Processor<String, CollectionSpec, Void, Void> {

    private KeyValueStore<String, CollectionSpec> specs;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        specs = context.getStateStore(IndexTopology.SPECS_STORE_NAME);
    }

    @Override
    public void process(Record<String, CollectionSpec> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            specs.delete(record.key());
        } else {
            specs.put(record.key(), record.value());
        }
    }
}
