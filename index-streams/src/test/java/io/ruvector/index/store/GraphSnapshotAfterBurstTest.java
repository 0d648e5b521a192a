package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graph snapshots after a burst: a bulk load followed by a quiet moment has its graphs written
 * by the next commit instead of at the interval (an hour here), so a crash after the load does
 * not link the whole load again; a trickle smaller than the burst stays on the interval.
 */
class GraphSnapshotAfterBurstTest {

    private static final int DIMS = 8;
    private static final Duration QUIET = Duration.ofMillis(300);

    @TempDir
    Path stateDir;
    private final GraphMaintenance maintenance = GraphMaintenance.manual();
    private PartitionVectorIndexStore store;
    private final ClusteredData data = new ClusteredData(7, 4, DIMS, 0.3);
    private long lsn;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        maintenance.close();
    }

    @Test
    void shouldWriteTheGraphsOnceABurstHasSettledAndNotForATrickle() throws Exception {
        HnswSettings settings = HnswSettings.builder().exactBelowRows(100).graphSnapshotInterval(Duration.ofHours(1))
                .graphSnapshotAfterBurst(QUIET, 500).build();
        store = open(settings);
        store.flush(); // the first commit: nothing to write yet

        apply(600, 0);
        assertThat(store.snapshotDue()).as("changes applied just now: not settled").isFalse();
        store.flush();
        assertThat(snapshotFiles()).as("a commit during the burst writes nothing (interval 1 h)").isZero();

        Thread.sleep(QUIET.toMillis() + 50);
        assertThat(store.snapshotDue()).as("600 changes, then quiet").isTrue();
        store.flush();
        awaitSnapshot();
        assertThat(store.snapshotDue()).as("written: nothing due").isFalse();

        apply(499, 600); // below the burst
        Thread.sleep(QUIET.toMillis() + 50);
        assertThat(store.snapshotDue()).as("499 changes are a trickle").isFalse();
        apply(1, 1_099);
        assertThat(store.snapshotDue()).as("the 500th change is a burst, but just applied").isFalse();
        Thread.sleep(QUIET.toMillis() + 50);
        assertThat(store.snapshotDue()).as("500 changes, then quiet").isTrue();
    }

    @Test
    void shouldNeedATwentiethOfThePartitionsRowsForABurst() throws Exception {
        HnswSettings settings = HnswSettings.builder().exactBelowRows(100).graphSnapshotInterval(Duration.ofHours(1))
                .graphSnapshotAfterBurst(QUIET, 10).build();
        store = open(settings);
        apply(2_000, 0);
        Thread.sleep(QUIET.toMillis() + 50);
        store.flush();
        awaitSnapshot();

        apply(90, 2_000); // ≥ 10, but fewer than 2,090 / 20
        Thread.sleep(QUIET.toMillis() + 50);
        assertThat(store.snapshotDue()).as("90 of 2,090 rows").isFalse();
        apply(20, 2_090);
        Thread.sleep(QUIET.toMillis() + 50);
        assertThat(store.snapshotDue()).as("110 of 2,110 rows").isTrue();
    }

    private void apply(int rows, int firstId) {
        for (int i = 0; i < rows; i++) {
            store.apply(Changes.change("c", Integer.toString(firstId + i), ChangeOp.UPSERT, ++lsn, false, data.next(),
                    Map.of(), null));
        }
    }

    private long snapshotFiles() throws IOException {
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".graph")).count();
        }
    }

    /** The commit writes a temporary file; a background thread forces and moves it into place. */
    private void awaitSnapshot() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (snapshotFiles() == 0) {
            assertThat(System.nanoTime()).as("a graph snapshot on disk within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private PartitionVectorIndexStore open(HnswSettings settings) {
        PartitionVectorIndexStore opened = new PartitionVectorIndexStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("burst"), Serdes.String(), Serdes.ByteArray())
                        .withCachingDisabled().withLoggingDisabled().build(),
                new RestoreObservingStore.Tap(), settings, maintenance, new io.ruvector.index.telemetry.PartitionActivity(),
                new io.ruvector.index.telemetry.MaintenanceJobs());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "snapshot-burst-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        opened.init(new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile()).getStateStoreContext(), opened);
        opened.useParams(c -> Optional.of(new GraphParams(16, 64, Metric.L2)));
        return opened;
    }
}
