package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.compose.dataset.TableLoader;
import io.ruvector.compose.dataset.VectorDataset;
import io.ruvector.schemas.Metric;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Recall@10 at the DEFAULT {@code ef_search} (no {@code ef_search} in the request), through the
 * real runtime (capture, vectors topic, every partition's graph, merge), on the clustered set of
 * the benchmarks (20,000 × 128 in 50 clusters, 200 fresh draws); {@link RecallCheck} holds the
 * graph's answers to the exact search. Fashion-MNIST's recall is checked by CalibrationIT, on the
 * 60,000 rows it loads anyway (one load of the real set per suite).
 */
class SearchRecallIT extends SharedRuntime {

    private static final int QUERIES = 200;

    @Test
    void shouldFindAtLeast95PercentOfTheExactTop10OnTheClusteredSetAtTheDefaultEfSearch() throws Exception {
        VectorDataset data = VectorDataset.clustered(20_000, 128, 50, QUERIES, 42);
        String table = "rc_cl_" + TestPostgres.unique();
        String name = table.replace("_", "");
        try (Connection c = TestPostgres.connect()) {
            TableLoader.load(c, table, data, n -> { });
        }
        fixture.register(name, "public." + table, "embedding", Metric.L2, List.of(), null, data.dimensions());
        // The rows arrive through the registration's snapshot, which the watermark does not
        // cover (it follows the WAL stream): wait for the count.
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        long indexed = 0;
        while (indexed < data.size() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            indexed = fixture.runtime.index().stats(name).values().stream().mapToLong(s -> s.liveRows()).sum();
        }
        assertThat(indexed).as("rows indexed").isEqualTo(data.size());
        double recall = RecallCheck.of(fixture.runtime.index(), name, data.queries(), data.name());
        assertThat(recall).as("clustered recall@10 at the default ef_search").isGreaterThanOrEqualTo(0.95);
    }
}
