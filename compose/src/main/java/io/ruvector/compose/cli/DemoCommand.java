package io.ruvector.compose.cli;

import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.dataset.TableLoader;
import io.ruvector.compose.dataset.VectorDataset;
import io.ruvector.compose.http.HttpApiServer;
import io.ruvector.compose.runtime.DataDirectoryLock;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.RuntimeLifecycle;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./ruvector demo}: the embedded runtime on a real dataset. Loads Fashion-MNIST (or, when
 * Debian's {@code dataset-fashion-mnist} is not installed, generated clusters) into a pgvector
 * table, registers it, shows the indexing progress, compares a few searches with pgvector's exact
 * answer and keeps serving.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Load a dataset into a demo pgvector table, index it, compare searches with pgvector, and serve.")
final class DemoCommand implements Callable<Integer> {

    static final String TABLE = "ruvector_demo";
    static final String COLLECTION = "demo";

    @Mixin
    RuntimeOptions options = new RuntimeOptions();

    @Option(names = "--rows", defaultValue = "0",
            description = "rows to load (0 = the whole dataset: 60,000 for Fashion-MNIST, 20,000 generated)")
    int rows;

    @Option(names = "--generated", description = "use generated clustered vectors even when Fashion-MNIST is installed")
    boolean generated;

    @Option(names = "--queries", defaultValue = "20", description = "queries compared with pgvector; default ${DEFAULT-VALUE}")
    int queries;

    @Option(names = "--exit", description = "stop after the comparison instead of serving until Ctrl-C")
    boolean exit;

    /** Held while this command runs: a field, so it stays reachable (an unreachable channel is closed by the cleaner). */
    private DataDirectoryLock lock;

    @Override
    public Integer call() throws Exception {
        PgConnectionSettings settings = options.pg.settings();
        VectorDataset data = dataset();
        System.out.printf("dataset: %s, %d dimensions%n", data.name(), data.dimensions());
        // The demo starts clean every time: its own broker directory and its own replication slot.
        options.dataDir = options.dataDir.resolve("demo");
        options.deployment = "demo";
        lock = DataDirectoryLock.acquire(options.dataDir); // held until the process exits
        lock.clear(options.dataDir); // never another demo's files: that one holds the lock
        System.out.printf("log file: %s%n", ConsoleLog.toFile(options.dataDir));
        try (Connection c = connect(settings); Statement st = c.createStatement()) {
            st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'ruvector_demo' AND NOT active");
            st.execute("DROP PUBLICATION IF EXISTS ruvector_demo");
            long start = System.nanoTime();
            TableLoader.load(c, TABLE, data, done -> progress("loading " + TABLE, done, data.size()));
            System.out.printf("%n  COPY of %d rows took %.1f s%n", data.size(), (System.nanoTime() - start) / 1e9);
        }
        EmbeddedRuntime runtime = new EmbeddedRuntime(options.config());
        CountDownLatch stopped = RuntimeLifecycle.closeOnShutdown(runtime);
        runtime.start();
        HttpApiServer http = runtime.serveHttp(options.httpPort);
        // Loading the whole table at once puts the collection far over its lag budget (critical:
        // searches admitted at 80 %). The demo recovers after 10 s instead of the 300 s default.
        runtime.publishPolicy(io.ruvector.schemas.IntegrityPolicy.newBuilder().setCollection(COLLECTION)
                .setRecoveryHoldSeconds(10L).setCooldownSeconds(5L).setUpdatedAtMillis(System.currentTimeMillis())
                .setUpdatedBy("demo").build());
        CollectionSpec spec = runtime.register(new CollectionRequest(COLLECTION, "public." + TABLE, "id", "embedding",
                Metric.L2, null, List.of("label"), 0, 0, 0), 0);
        System.out.printf("registered collection %s on %s (%s(%d), %s)%n", spec.getName(), spec.getTable(),
                spec.getVectorType().name().toLowerCase(), spec.getDimensions(), spec.getMetric());
        awaitIndexed(runtime, settings, data.size());
        compareWithPgvector(runtime, settings, data);
        if (exit) {
            return 0;
        }
        int port = http.port();
        String vector = TableLoader.literal(data.queries()[0]);
        java.nio.file.Path search = options.dataDir.resolve("search.json").toAbsolutePath();
        java.nio.file.Path filtered = options.dataDir.resolve("search-filtered.json").toAbsolutePath();
        java.nio.file.Files.writeString(search, "{\"vector\": " + vector + ", \"k\": 5}\n");
        java.nio.file.Files.writeString(filtered, "{\"vector\": " + vector + ", \"k\": 5, \"filter\": {\"label\": {\"in\": [\""
                + data.labels()[0] + "\", \"" + data.labels()[1] + "\"]}}}\n");
        System.out.printf("%nServing on http://127.0.0.1:%d/v1 (the query files hold held-out vector 0). Try:%n"
                + "  curl -s localhost:%d/v1/collections/demo/stats%n"
                + "  curl -s localhost:%d/v1/collections/demo/integrity   # λ, state, witness edges%n"
                + "  curl -s localhost:%d/v1/collections/demo/vectors/42%n"
                + "  curl -s -X POST localhost:%d/v1/collections/demo/search -d @%s%n"
                + "  curl -s -X POST localhost:%d/v1/collections/demo/search -d @%s%n"
                + "  psql %s -c \"UPDATE %s SET label = 'changed' WHERE id = 42\"   # then look at vector 42 again%n"
                + "(Ctrl-C stops)%n", port, port, port, port, port, search, port, filtered,
                settings.jdbcUrl().replace("jdbc:", ""), TABLE);
        stopped.await();
        return 0;
    }

    private VectorDataset dataset() throws java.io.IOException {
        if (!generated && VectorDataset.fashionMnistInstalled()) {
            return VectorDataset.fashionMnist(rows, queries);
        }
        if (!generated) {
            System.out.println("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); using generated clusters");
        }
        return VectorDataset.clustered(rows <= 0 ? 20_000 : rows, 128, 50, queries, 42);
    }

    /** Waits until the index holds every row: the capture's progress first, then the index watermark. */
    private static void awaitIndexed(EmbeddedRuntime runtime, PgConnectionSettings settings, int rows) throws Exception {
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(10).toNanos();
        while (runtime.captureMetrics().accepted() < rows) {
            if (runtime.capture().failure() != null) {
                throw new IllegalStateException("capture failed: " + runtime.capture().failure().getMessage());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the capture did not deliver " + rows + " rows within 10 minutes");
            }
            progress("capturing", runtime.captureMetrics().accepted(), rows);
            Thread.sleep(200);
        }
        progress("capturing", rows, rows);
        System.out.println();
        long lsn;
        try (Connection c = connect(settings); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            lsn = rs.getLong(1);
        }
        try {
            runtime.index().awaitWatermark(lsn, Duration.ofMinutes(10));
        } catch (TimeoutException e) {
            throw new IllegalStateException("the index did not catch up within 10 minutes: " + e.getMessage(), e);
        }
        System.out.printf("  indexed %d rows in %.1f s after registration%n", rows, (System.nanoTime() - start) / 1e9);
    }

    /** The recall@10 of our searches against pgvector's exact ORDER BY on the same table. */
    private void compareWithPgvector(EmbeddedRuntime runtime, PgConnectionSettings settings, VectorDataset data)
            throws Exception {
        int k = 10;
        int found = 0;
        int total = 0;
        long ourNanos = 0;
        long theirNanos = 0;
        System.out.printf("%nk=%d nearest neighbours (L2) of %d held-out vectors, ruvector vs pgvector's exact "
                + "ORDER BY embedding <-> q LIMIT %d:%n", k, data.queries().length, k);
        try (Connection c = connect(settings);
             PreparedStatement st = c.prepareStatement("SELECT id::text FROM " + TABLE + " ORDER BY embedding <-> ?::vector LIMIT " + k)) {
            for (int q = 0; q < data.queries().length; q++) {
                float[] query = data.queries()[q];
                long t0 = System.nanoTime();
                List<String> ours = runtime.index().search(KnnRequest.of(COLLECTION, query, k, Metric.L2))
                        .hits().stream().map(KnnHit::id).toList();
                long t1 = System.nanoTime();
                st.setString(1, TableLoader.literal(query));
                Set<String> theirs = new HashSet<>();
                List<String> theirOrder = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        theirs.add(rs.getString(1));
                        theirOrder.add(rs.getString(1));
                    }
                }
                long t2 = System.nanoTime();
                ourNanos += t1 - t0;
                theirNanos += t2 - t1;
                found += (int) ours.stream().filter(theirs::contains).count();
                total += theirs.size();
                if (q < 3) {
                    System.out.printf("  q%d  ruvector %s%n      pgvector %s%n", q + 1, ours, theirOrder);
                }
            }
        }
        int n = data.queries().length;
        System.out.printf("recall@%d against pgvector: %.3f over %d queries; mean latency ruvector %.2f ms (in-process), "
                        + "pgvector %.2f ms (sequential scan, over JDBC)%n", k, total == 0 ? 0.0 : (double) found / total, n,
                ourNanos / 1e6 / n, theirNanos / 1e6 / n);
    }

    private static void progress(String what, long done, long total) {
        if (!Terminal.interactive()) {
            return; // a pipe or a log file gets the summary lines only
        }
        int width = 30;
        int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
        System.out.printf("\r  %-16s [%s%s] %,d/%,d", what, "#".repeat(filled), ".".repeat(width - filled), done, total);
    }

    private static Connection connect(PgConnectionSettings settings) throws java.sql.SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
    }
}
