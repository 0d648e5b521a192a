package io.ruvector.compose.bench;

import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.RuntimeLifecycle;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.VectorChange;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code ./ruvector bench ingest}: in one run on the same generated rows, (a) PostgreSQL's COPY
 * rate alone, (b) the end-to-end rate from the start of the same COPY until the last
 * {@link VectorChange} is acknowledged on the vectors topic, and (c) commit → topic latency of
 * single-row inserts at idle, as seen by a consumer of the topic.
 */
public final class IngestBenchmark {

    private final PgConnectionSettings pg;
    private final Path workDir;
    private final int rows;
    private final int dimensions;
    private final int latencySamples;
    private final long seed;
    private final int warmupRows;
    private final boolean captureOnly;

    public IngestBenchmark(PgConnectionSettings pg, Path workDir, int rows, int dimensions, int latencySamples, long seed,
                           int warmupRows, boolean captureOnly) {
        if (rows < 1 || dimensions < 1 || latencySamples < 0) {
            throw new IllegalArgumentException("rows and dimensions must be >= 1 and latency samples >= 0");
        }
        this.pg = pg;
        this.workDir = workDir;
        this.rows = rows;
        this.dimensions = dimensions;
        this.latencySamples = latencySamples;
        this.seed = seed;
        this.warmupRows = Math.max(0, warmupRows);
        this.captureOnly = captureOnly;
    }

    public void run(PrintStream out) throws Exception {
        out.printf("bench ingest: rows=%d dimensions=%d latency_samples=%d warmup_rows=%d seed=%d cores=%d runtime=%s%n",
                rows, dimensions, latencySamples, warmupRows, seed, Runtime.getRuntime().availableProcessors(),
                captureOnly ? "capture only" : "capture + index");
        try (BenchCleanup cleanup = new BenchCleanup(pg, "bench", List.of("bench_copy_only", "bench_ingest"))) {
            cleanup.dropLeftovers();
            run(out, cleanup);
        }
    }

    private void run(PrintStream out, BenchCleanup cleanup) throws Exception {
        String copyText = copyText(1, rows);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String t : List.of("bench_copy_only", "bench_ingest")) {
                st.execute("DROP TABLE IF EXISTS " + t);
                st.execute("CREATE TABLE " + t + " (id bigint PRIMARY KEY, embedding vector(" + dimensions + ") NOT NULL)");
            }
        }
        double copySeconds = copy("bench_copy_only", copyText);
        double copyRate = rows / copySeconds;
        out.printf("(a) PostgreSQL COPY alone:      %,10.0f rows/s  (%.2f s)%n", copyRate, copySeconds);

        RuntimeLifecycle.deleteRecursively(workDir);
        RuntimeConfig config = RuntimeConfig.of(workDir, pg).withBroker(BrokerConfig.ephemeral(workDir)).withDeployment("bench")
                .withCaptureOnly(captureOnly);
        try (EmbeddedRuntime runtime = new EmbeddedRuntime(config).start()) {
            cleanup.attach(runtime);
            runtime.register(new CollectionRequest("bench", "public.bench_ingest", "id", "embedding", Metric.L2,
                    null, List.of(), 0, 0, 0), 0);
            if (!runtime.capture().awaitStarted(Duration.ofMinutes(2))) {
                throw new IllegalStateException("capture did not start");
            }
            if (warmupRows > 0) {
                // JIT warm-up on the same path (rows with ids above the measured range), not timed
                String warm = copyText(rows + latencySamples + 1, warmupRows);
                long before = runtime.captureMetrics().accepted();
                copy("bench_ingest", warm);
                awaitAccepted(runtime, before + warmupRows, Duration.ofMinutes(5));
            }
            Thread.sleep(1000);
            long base = runtime.captureMetrics().accepted();
            long start = System.nanoTime();
            copy("bench_ingest", copyText);
            double copyInRun = (System.nanoTime() - start) / 1e9;
            long atCommit = runtime.captureMetrics().accepted() - base;
            awaitAccepted(runtime, base + rows, Duration.ofMinutes(10));
            double endToEnd = (System.nanoTime() - start) / 1e9;
            double e2eRate = rows / endToEnd;
            out.printf("(b) COPY → last change on topic: %,10.0f rows/s  (%.2f s; the COPY itself took %.2f s)%n",
                    e2eRate, endToEnd, copyInRun);
            out.printf("    ratio end-to-end / COPY alone: %.2f  (goal >= 0.50; goal >= 20,000 rows/s)%n", e2eRate / copyRate);
            // pgoutput sends a transaction when it commits: the capture drains after the COPY ends
            out.printf("    capture drain after the COPY committed: %,.0f rows/s (%,d rows had arrived at commit)%n",
                    (rows - atCommit) / (endToEnd - copyInRun), atCommit);
            if (latencySamples > 0) {
                latency(runtime, out);
            }
        }
    }

    private void latency(EmbeddedRuntime runtime, PrintStream out) throws Exception {
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        String topic = runtime.config().topics().vectors();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers(),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), runtime.vectorValues().deserializer());
             Connection c = connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO bench_ingest VALUES (?, ?::vector)")) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            SplittableRandom random = new SplittableRandom(seed + 1);
            double[] millis = new double[latencySamples];
            for (int i = 0; i < latencySamples; i++) {
                long id = rows + 1L + i;
                insert.setLong(1, id);
                insert.setString(2, vectorText(random));
                insert.executeUpdate();
                long committed = System.nanoTime();
                String key = "bench/" + id;
                long deadline = committed + Duration.ofSeconds(30).toNanos();
                // poll returns as soon as a fetch brings records (fetch.max.wait.ms=5); a long poll
                // keeps the measuring thread from spinning on one of the two cores
                while (!arrivals.containsKey(key)) {
                    for (ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(100))) {
                        if (r.key() != null) {
                            arrivals.put(r.key(), System.nanoTime());
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("change " + key + " did not arrive within 30 s");
                    }
                }
                millis[i] = (arrivals.get(key) - committed) / 1e6;
                Thread.sleep(20); // idle between commits
            }
            Arrays.sort(millis);
            out.printf("(c) commit → topic latency, %d single-row inserts at idle: p50 %.1f ms, p99 %.1f ms, max %.1f ms (goal p99 <= 50 ms)%n",
                    latencySamples, millis[(int) (0.50 * (latencySamples - 1))], millis[(int) Math.ceil(0.99 * (latencySamples - 1))],
                    millis[latencySamples - 1]);
        }
    }

    private void awaitAccepted(EmbeddedRuntime runtime, long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (runtime.captureMetrics().accepted() < target) {
            if (runtime.capture().failure() != null) {
                throw new IllegalStateException("capture failed: " + runtime.capture().failure().getMessage());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + runtime.captureMetrics().accepted() + " of " + target + " changes arrived");
            }
            Thread.sleep(2);
        }
    }

    private double copy(String table, String text) throws SQLException, IOException {
        try (Connection c = connect()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long start = System.nanoTime();
            copy.copyIn("COPY " + table + " (id, embedding) FROM STDIN", new StringReader(text));
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private String copyText(int firstId, int count) {
        SplittableRandom random = new SplittableRandom(seed + firstId);
        StringBuilder text = new StringBuilder(count * dimensions * 10);
        for (int i = firstId; i < firstId + count; i++) {
            text.append(i).append('\t').append(vectorText(random)).append('\n');
        }
        return text.toString();
    }

    private String vectorText(SplittableRandom random) {
        StringBuilder v = new StringBuilder(dimensions * 10).append('[');
        for (int d = 0; d < dimensions; d++) {
            if (d > 0) {
                v.append(',');
            }
            v.append((float) (random.nextDouble() * 2 - 1));
        }
        return v.append(']').toString();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }
}
