package io.ruvector.index.store;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.telemetry.MaintenanceJobs;
import io.ruvector.index.telemetry.PartitionActivity;
import io.ruvector.schemas.Metric;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** Opens {@link VectorIndexStore}s over in-memory key-value stores, without a broker (partition 0). */
public final class TestStores {

    private TestStores() {
    }

    /** An in-memory key-value store without changelog, as the index's inner store. */
    public static KeyValueStore<String, byte[]> inner(String name) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled().withLoggingDisabled().build();
    }

    /** A store over {@code inner}, initialised, graphs L2 with m 16, ef_construction 64. */
    public static VectorIndexStore open(KeyValueStore<String, byte[]> inner, HnswSettings settings,
                                        GraphMaintenance maintenance, MaintenanceJobs jobs) {
        PartitionVectorIndexStore store = new PartitionVectorIndexStore(inner, new RestoreObservingStore.Tap(), settings,
                maintenance, new PartitionActivity(), jobs);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-stores");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        store.init(new MockProcessorContext<>(props).getStateStoreContext(), store);
        store.useParams(c -> Optional.of(new GraphParams(16, 64, Metric.L2)));
        return store;
    }
}
