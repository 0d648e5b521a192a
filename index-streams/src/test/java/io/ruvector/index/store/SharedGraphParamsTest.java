package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.telemetry.MaintenanceJobs;
import io.ruvector.index.telemetry.PartitionActivity;
import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.Metric;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

/**
 * A partition can be built before its own task's processor starts (its restore ended while the
 * stream thread was busy elsewhere). It then builds with the collections' graph params that an
 * earlier task's processor gave — read from the same global specs — not with the defaults, which
 * its processor would make it build again.
 */
class SharedGraphParamsTest {

    private static final HnswSettings SETTINGS = HnswSettings.builder().exactBelowRows(100).build();

    @Test
    void shouldBuildALaterStoreWithTheParamsAnEarlierProcessorGave() {
        try (GraphMaintenance maintenance = GraphMaintenance.manual()) {
            PartitionVectorIndexStore first = open(maintenance, "first");
            first.useParams(collection -> Optional.of(new GraphParams(8, 32, Metric.COSINE)));
            PartitionVectorIndexStore later = open(maintenance, "later"); // its processor has not started
            ClusteredData data = new ClusteredData(3, 4, 8, 0.3);
            for (int i = 0; i < 300; i++) {
                later.apply(Changes.change("c", Integer.toString(i), ChangeOp.UPSERT, i + 1, false, data.next(), Map.of(), null));
            }
            later.flush();
            CollectionStats stats = later.stats("c");
            assertThat(stats.graphPresent()).isTrue();
            assertThat(stats.m()).isEqualTo(8);
            assertThat(stats.efConstruction()).isEqualTo(32);
            assertThat(stats.graphMetric()).isEqualTo(Metric.COSINE);
            first.close();
            later.close();
        }
    }

    private static PartitionVectorIndexStore open(GraphMaintenance maintenance, String name) {
        PartitionVectorIndexStore store = new PartitionVectorIndexStore(TestStores.inner(name), new RestoreObservingStore.Tap(),
                SETTINGS, maintenance, new PartitionActivity(), new MaintenanceJobs());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "shared-params-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        store.init(new MockProcessorContext<>(props).getStateStoreContext(), store);
        return store;
    }
}
