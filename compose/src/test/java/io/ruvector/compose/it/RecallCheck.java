package io.ruvector.compose.it;

import io.ruvector.index.IndexService;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.schemas.Metric;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recall@k of the graph search at the DEFAULT {@code ef_search} (none in the request) against the
 * index's exact search, which ExactSearchIT holds to pgvector's answers; every graph hit's
 * distance must equal the exact one of the same row.
 */
final class RecallCheck {

    static final int K = 10;

    private RecallCheck() {
    }

    static double of(IndexService index, String collection, float[][] queries, String what) throws Exception {
        int found = 0;
        for (float[] query : queries) {
            KnnResult exact = index.search(KnnRequest.builder(collection, query).k(K).metric(Metric.L2).exact(true).build());
            KnnResult graph = index.search(KnnRequest.builder(collection, query).k(K).metric(Metric.L2).build());
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
        double recall = found / (double) (K * queries.length);
        System.out.printf("recall check: %s recall@%d %.4f over %d queries at the default ef_search%n", what, K, recall,
                queries.length);
        return recall;
    }
}
