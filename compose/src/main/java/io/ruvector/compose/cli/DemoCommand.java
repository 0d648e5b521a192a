package io.ruvector.compose.cli;

import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.http.HttpApiServer;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.RuntimeLifecycle;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./ruvector demo}: the embedded runtime on a demo pgvector table. Creates and fills the
 * table, registers it, changes a few rows, and shows the resulting stream.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the embedded runtime on a demo pgvector table and show its change stream.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    RuntimeOptions options = new RuntimeOptions();

    @Option(names = "--rows", defaultValue = "2000", description = "rows in the demo table; default ${DEFAULT-VALUE}")
    int rows;

    @Option(names = "--exit", description = "stop after showing the stream instead of serving until Ctrl-C")
    boolean exit;

    @Override
    public Integer call() throws Exception {
        var settings = options.pg.settings();
        // The demo starts clean every time: its own broker directory and its own replication slot.
        options.dataDir = options.dataDir.resolve("demo");
        options.deployment = "demo";
        RuntimeLifecycle.deleteRecursively(options.dataDir);
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
             Statement st = c.createStatement()) {
            st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'ruvector_demo' AND NOT active");
            st.execute("DROP PUBLICATION IF EXISTS ruvector_demo");
            st.execute("CREATE EXTENSION IF NOT EXISTS vector");
            st.execute("DROP TABLE IF EXISTS ruvector_demo");
            st.execute("CREATE TABLE ruvector_demo (id bigint PRIMARY KEY, embedding vector(8) NOT NULL, category text, price real)");
            // Clustered vectors: 10 centres, points scattered around them.
            st.execute("INSERT INTO ruvector_demo SELECT g, v.vec, 'c' || (g % 10), round((random() * 100)::numeric, 2) "
                    + "FROM generate_series(1, " + rows + ") g, LATERAL (SELECT array_agg(((g % 10) * 0.5 + d * 0.01 + random() * 0.2)::real)::vector AS vec "
                    + "FROM generate_series(1, 8) d) v");
        }
        EmbeddedRuntime runtime = new EmbeddedRuntime(options.config());
        CountDownLatch stopped = RuntimeLifecycle.closeOnShutdown(runtime);
        runtime.start();
        HttpApiServer http = runtime.serveHttp(options.httpPort);
        long before = runtime.captureMetrics().accepted();
        CollectionSpec spec = runtime.register(new CollectionRequest("demo", "public.ruvector_demo", "id", "embedding",
                Metric.L2, null, List.of("category", "price"), 0, 0, 0), 0);
        System.out.printf("registered collection %s on %s (%s(%d), %s)%n", spec.getName(), spec.getTable(),
                spec.getVectorType().name().toLowerCase(), spec.getDimensions(), spec.getMetric());
        waitFor(runtime, before + rows, "snapshot of " + rows + " rows");
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO ruvector_demo VALUES (" + (rows + 1) + ", '[1,2,3,4,5,6,7,8]', 'new', 9.5)");
            st.execute("UPDATE ruvector_demo SET price = 1.25 WHERE id = 1");
            st.execute("UPDATE ruvector_demo SET embedding = '[0,0,0,0,0,0,0,1]' WHERE id = 2");
            st.execute("DELETE FROM ruvector_demo WHERE id = 3");
        }
        waitFor(runtime, before + rows + 4, "4 live changes");
        System.out.printf("%d changes on %s, %d dead letters; the last ones:%n", runtime.captureMetrics().accepted(),
                runtime.config().topics().vectors(), runtime.captureMetrics().rejected());
        TailCommand tail = new TailCommand();
        tail.stream = TailCommand.Stream.vectors;
        tail.kafka = runtime.bootstrapServers();
        tail.fromBeginning = true;
        tail.noWatermarks = true;
        tail.untilEnd = true;
        tail.max = 0;
        tail.tailLast(System.out, 4);
        compareWithPgvector(runtime, settings, rows);
        if (exit) {
            return 0;
        }
        System.out.printf("%nServing. Try:%n"
                + "  curl -s localhost:%d/v1/collections/demo%n"
                + "  curl -s -X POST localhost:%d/v1/collections/demo/search -d '{\"vector\":[1,1,1,1,1,1,1,1],\"k\":5}'%n"
                + "  ./ruvector tail vectors --kafka %s%n(Ctrl-C stops)%n", http.port(), http.port(), runtime.bootstrapServers());
        stopped.await();
        return 0;
    }

    /** A few exact kNN queries over the index next to pgvector's own answer on the same table. */
    private static void compareWithPgvector(EmbeddedRuntime runtime, io.ruvector.cdc.engine.PgConnectionSettings settings,
                                            int rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        float[] probe = new float[8];
        while (runtime.index().search(io.ruvector.index.query.KnnRequest.of("demo", probe, 10_000, Metric.L2)).hits().size() != rows) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the index did not reach " + rows + " rows within 2 minutes");
            }
            Thread.sleep(50);
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        int same = 0;
        int total = 0;
        System.out.printf("%nexact kNN (k=5, L2) from the index vs pgvector's ORDER BY embedding <-> q LIMIT 5:%n");
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
             java.sql.PreparedStatement st = c.prepareStatement(
                     "SELECT id::text FROM ruvector_demo ORDER BY embedding <-> ?::vector LIMIT 5")) {
            for (int q = 0; q < 3; q++) {
                float[] query = new float[8];
                for (int d = 0; d < 8; d++) {
                    query[d] = (float) (random.nextInt(10) * 0.5 + random.nextDouble() * 0.2);
                }
                List<String> ours = runtime.index().search(io.ruvector.index.query.KnnRequest.of("demo", query, 5, Metric.L2))
                        .hits().stream().map(io.ruvector.index.query.KnnHit::id).toList();
                st.setString(1, java.util.Arrays.toString(query).replace(" ", ""));
                List<String> theirs = new java.util.ArrayList<>();
                try (java.sql.ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        theirs.add(rs.getString(1));
                    }
                }
                same += (int) ours.stream().filter(theirs::contains).count();
                total += theirs.size();
                System.out.printf("  q%d  ruvector %s%n      pgvector %s%n", q + 1, ours, theirs);
            }
        }
        System.out.printf("recall@5 against pgvector: %.2f%n", total == 0 ? 0.0 : (double) same / total);
    }

    private static void waitFor(EmbeddedRuntime runtime, long changes, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long last = -1;
        while (runtime.captureMetrics().accepted() < changes) {
            if (runtime.capture().failure() != null) {
                throw new IllegalStateException("capture failed: " + runtime.capture().failure().getMessage());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            long now = runtime.captureMetrics().accepted();
            if (now != last) {
                System.out.printf("\r  %s: %d/%d", what, now, changes);
                last = now;
            }
            Thread.sleep(50);
        }
        System.out.printf("\r  %s: done%n", what);
    }
}
