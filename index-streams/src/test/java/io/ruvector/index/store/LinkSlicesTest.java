package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.telemetry.MaintenanceJobs;
import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stream thread links applied rows into the graph a slice at a time, each slice under its own
 * hold of the write lock: a batch of 256 rows of 784 dimensions held it for 100–400 ms, and every
 * search and point read of the partition waited that long.
 */
class LinkSlicesTest {

    private static final int DIMS = 8;

    @Test
    void shouldLinkAppliedRowsInSlicesAndFindEveryOneOfThem() {
        try (GraphMaintenance maintenance = GraphMaintenance.manual()) {
            PartitionVectorIndexStore store = (PartitionVectorIndexStore) TestStores.open(TestStores.inner("slices"),
                    HnswSettings.builder().exactBelowRows(100).build(), maintenance, new MaintenanceJobs());
            try {
                applyAndCheck(store);
            } finally {
                store.close();
            }
        }
    }

    private static void applyAndCheck(PartitionVectorIndexStore store) {
        ClusteredData data = new ClusteredData(5, 4, DIMS, 0.3);
        List<float[]> vectors = new ArrayList<>();
        long lsn = 0;
        for (int i = 0; i < 1_000; i++) {
            float[] v = data.next();
            vectors.add(v);
            store.apply(Changes.change("c", Integer.toString(i), ChangeOp.UPSERT, ++lsn, false, v, Map.of(), null));
            if (i == 600) {
                store.flush(); // a commit's link is sliced too
            }
        }
        store.flush();
        assertThat(store.mostLinkedUnderOneHold()).as("rows linked under one hold of the write lock")
                .isPositive().isLessThanOrEqualTo(PartitionVectorIndexStore.LINK_SLICE);
        for (int i = 0; i < 1_000; i += 37) { // each row is its own nearest neighbour through the graph
            List<KnnHit> hits = store.search(KnnRequest.builder("c", vectors.get(i)).k(1).metric(Metric.L2).efSearch(40)
                    .build()).hits();
            assertThat(hits).extracting(KnnHit::id).as("row %d", i).containsExactly(Integer.toString(i));
        }
    }
}
