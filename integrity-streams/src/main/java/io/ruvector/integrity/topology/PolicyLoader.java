package io.ruvector.integrity.topology;

import io.ruvector.schemas.IntegrityPolicy;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global policy store equal to the compacted policies topic: a value replaces the
 * scope's override, a tombstone removes it. Global because a tenant's policy is keyed
 * {@code collection/tenant} and so lands on another partition than the collection's samples.
 */
final class PolicyLoader implements Processor<String, IntegrityPolicy, Void, Void> {

    private KeyValueStore<String, IntegrityPolicy> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(IntegrityTopology.POLICY_STORE);
    }

    @Override
    public void process(Record<String, IntegrityPolicy> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
