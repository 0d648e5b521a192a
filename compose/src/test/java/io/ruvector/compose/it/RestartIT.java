package io.ruvector.compose.it;

import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.store.VectorIndexStore;
import io.ruvector.schemas.Metric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restarted runtime (same data directory, broker and slot) restores the index from its
 * changelog and answers as before: exact searches identically, graph searches with recall ≥ 0.95
 * against exact — the graphs loaded from the snapshots its close wrote, no node linked again.
 * The restore time is printed.
 */
class RestartIT {

    private static final int ROWS = 6_000;
    private static final int DIMS = 16;

    @TempDir
    Path dataDir;
    private final String deployment = "it_" + TestPostgres.unique();
    private EmbeddedRuntime runtime;

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        TestPostgres.dropDeployment(deployment);
    }

    @Test
    void shouldAnswerTheSameQueriesAfterARestart() throws Exception {
        BrokerConfig broker = BrokerConfig.ephemeral(dataDir);
        RuntimeConfig config = RuntimeConfig.of(dataDir, TestPostgres.SETTINGS).withBroker(broker).withDeployment(deployment)
                .withVectorPartitions(2); // 3,000 rows per partition: above the graph threshold
        runtime = new EmbeddedRuntime(config).start();
        String table = "restart_" + TestPostgres.unique();
        String name = "r" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(" + DIMS + "))");
        runtime.register(new CollectionRequest(name, "public." + table, "id", "embedding", Metric.L2, null, List.of(), 0, 0, 0), DIMS);
        assertThat(runtime.capture().awaitCapturing("public." + table, Duration.ofSeconds(90))).isTrue();
        TestPostgres.exec("INSERT INTO " + table + " SELECT g, (SELECT array_agg(random()::real) FROM generate_series(1, "
                + DIMS + ") d WHERE g > 0)::vector FROM generate_series(1, " + ROWS + ") g");
        long lsn = ((Number) TestPostgres.query("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn").getFirst().getFirst()).longValue();
        runtime.index().awaitWatermark(lsn, Duration.ofSeconds(120));

        SplittableRandom random = new SplittableRandom(3);
        List<float[]> queries = new ArrayList<>();
        for (int q = 0; q < 50; q++) {
            queries.add(Floats.random(random, DIMS));
        }
        List<List<String>> exactBefore = new ArrayList<>();
        for (float[] q : queries) {
            exactBefore.add(search(name, q, true).ids());
        }
        KnnResult graph = search(name, queries.getFirst(), false);
        assertThat(graph.exact()).as("graphs exist above the threshold").isFalse();

        runtime.close();
        long start = System.nanoTime();
        runtime = new EmbeddedRuntime(config).start();
        runtime.index().awaitWatermark(lsn, Duration.ofSeconds(120));
        List<List<String>> exactAfter = new ArrayList<>();
        for (float[] q : queries) {
            exactAfter.add(search(name, q, true).ids());
        }
        double restoreSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("RestartIT: runtime restart to index caught up with %d rows: %.2f s%n", ROWS, restoreSeconds);
        assertThat(exactAfter).isEqualTo(exactBefore);
        int loaded = runtime.index().localStores().stream().mapToInt(VectorIndexStore::graphNodesLoaded).sum();
        assertThat(loaded).as("graph nodes loaded from the snapshots the close wrote, none re-linked").isEqualTo(ROWS);
        int found = 0;
        for (int q = 0; q < queries.size(); q++) {
            Set<String> truth = new HashSet<>(exactAfter.get(q));
            found += (int) search(name, queries.get(q), false).ids().stream().filter(truth::contains).count();
        }
        double recall = found / (10.0 * queries.size());
        System.out.printf("RestartIT: graph recall@10 after restart %.3f%n", recall);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
    }

    private KnnResult search(String name, float[] query, boolean exact) {
        return runtime.index().search(KnnRequest.builder(name, query).k(10).exact(exact).build());
    }
}
