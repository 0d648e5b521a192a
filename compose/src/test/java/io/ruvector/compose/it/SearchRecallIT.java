package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.compose.dataset.TableLoader;
import io.ruvector.compose.dataset.VectorDataset;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.schemas.Metric;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Recall@10 at the DEFAULT {@code ef_search} (no {@code ef_search} in the request), through the
 * real runtime (capture, vectors topic, every partition's graph, merge), on Debian's
 * Fashion-MNIST (60,000 × 784, the first 200 test images as queries) and on the clustered set
 * of the benchmarks (20,000 × 128 in 50 clusters, 200 fresh draws). Ground truth: the index's
 * exact search, which ExactSearchIT holds to pgvector's answers. A graph hit's distance equals
 * the exact search's for the same row.
 */
class SearchRecallIT extends SharedRuntime {

    private static final int K = 10;
    private static final int QUERIES = 200;

    @Test
    void shouldFindAtLeast95PercentOfTheExactTop10OnFashionMnistAtTheDefaultEfSearch() throws Exception {
        assertThat(VectorDataset.fashionMnistInstalled())
                .as("Debian's dataset-fashion-mnist is installed (./ruvector test installs it)").isTrue();
        double recall = recall(VectorDataset.fashionMnist(60_000, QUERIES), "rc_fm_");
        assertThat(recall).as("Fashion-MNIST recall@10 at the default ef_search").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void shouldFindAtLeast95PercentOfTheExactTop10OnTheClusteredSetAtTheDefaultEfSearch() throws Exception {
        double recall = recall(VectorDataset.clustered(20_000, 128, 50, QUERIES, 42), "rc_cl_");
        assertThat(recall).as("clustered recall@10 at the default ef_search").isGreaterThanOrEqualTo(0.95);
    }

    private static double recall(VectorDataset data, String prefix) throws Exception {
        String table = prefix + TestPostgres.unique();
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
        int found = 0;
        for (float[] query : data.queries()) {
            KnnResult exact = fixture.runtime.index().search(KnnRequest.builder(name, query).k(K).metric(Metric.L2).exact(true).build());
            KnnResult graph = fixture.runtime.index().search(KnnRequest.builder(name, query).k(K).metric(Metric.L2).build());
            assertThat(graph.exact()).as("answered from the partitions' graphs").isFalse();
            assertThat(graph.hits()).hasSize(K);
            Map<String, Double> truth = new HashMap<>();
            exact.hits().forEach(h -> truth.put(h.id(), h.distance()));
            for (KnnHit hit : graph.hits()) {
                Double distance = truth.get(hit.id());
                if (distance != null) {
                    found++;
                    assertThat(hit.distance()).as("graph distance of %s", hit.id()).isEqualTo(distance);
                }
            }
            // The graph's distances are the exact ones: the k-th graph hit is no closer than the exact k-th.
            assertThat(graph.hits().getLast().distance()).isGreaterThanOrEqualTo(exact.hits().getLast().distance());
        }
        double recall = found / (double) (K * data.queries().length);
        System.out.printf("SearchRecallIT: %s recall@%d %.4f over %d queries at the default ef_search%n", data.name(), K,
                recall, data.queries().length);
        return recall;
    }
}
