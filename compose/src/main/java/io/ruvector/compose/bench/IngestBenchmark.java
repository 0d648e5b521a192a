package io.ruvector.compose.bench;

import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.cdc.engine.CaptureConfig;
import io.ruvector.cdc.engine.ConnectorConfig;
import io.ruvector.compose.runtime.ConnectSource;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.Role;
import io.ruvector.schemas.topic.TopicNames;
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
import java.util.Set;
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
    private final Via via;

    /** Which capture paths a run measures. */
    public enum Via {
        /** Debezium embedded in the runtime (the default). */
        EMBEDDED,
        /** The embedded path, then Debezium on Kafka Connect with the normaliser, in the same run. */
        CONNECT
    }

    private static final String CONNECT_TABLE = "bench_connect";
    private static final String CONNECT_DEPLOYMENT = "benchc";

    public IngestBenchmark(PgConnectionSettings pg, Path workDir, int rows, int dimensions, int latencySamples, long seed,
                           int warmupRows, boolean captureOnly, Via via) {
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
        this.via = via;
    }

    public void run(PrintStream out) throws Exception {
        out.printf("bench ingest: rows=%d dimensions=%d latency_samples=%d warmup_rows=%d seed=%d cores=%d runtime=%s via=%s%n",
                rows, dimensions, latencySamples, warmupRows, seed, Runtime.getRuntime().availableProcessors(),
                captureOnly ? "capture only" : "capture + index", via.name().toLowerCase(java.util.Locale.ROOT));
        try (BenchCleanup cleanup = new BenchCleanup(pg, "bench", List.of("bench_copy_only", "bench_ingest", CONNECT_TABLE))) {
            cleanup.dropLeftovers();
            if (via == Via.CONNECT) {
                try (BenchCleanup connectLeftovers = new BenchCleanup(pg, CONNECT_DEPLOYMENT, List.of())) {
                    connectLeftovers.dropLeftovers();
                }
            }
            run(out, cleanup);
        }
    }

    private void run(PrintStream out, BenchCleanup cleanup) throws Exception {
        String copyText = copyText(1, rows);
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String t : List.of("bench_copy_only", "bench_ingest", CONNECT_TABLE)) {
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
            out.println("embedded capture (Debezium in this JVM):");
            double embedded = measure(runtime, "bench_ingest", "bench", copyText, copyRate, out);
            if (via == Via.CONNECT) {
                double connect = measureConnect(runtime, copyText, copyRate, out);
                out.printf("Connect path / embedded path, end to end: %.2f%n", connect / embedded);
            }
        }
    }

    /** (b) and (c) for one capture path; returns the end-to-end rate. */
    private double measure(EmbeddedRuntime runtime, String table, String collection, String copyText, double copyRate,
                           PrintStream out) throws Exception {
        if (warmupRows > 0) {
            // JIT warm-up on the same path (rows with ids above the measured range), not timed
            String warm = copyText(rows + latencySamples + 1, warmupRows);
            long before = runtime.captureMetrics().accepted();
            copy(table, warm);
            awaitAccepted(runtime, before + warmupRows, Duration.ofMinutes(5));
        }
        Thread.sleep(1000);
        long base = runtime.captureMetrics().accepted();
        long start = System.nanoTime();
        copy(table, copyText);
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
            latency(runtime, table, collection, out);
        }
        return e2eRate;
    }

    /**
     * The cluster-mode path on the same broker: Debezium's connector on a Kafka Connect distributed
     * worker in this JVM, the normaliser role reading its topics; the same COPY into its own table.
     */
    private double measureConnect(EmbeddedRuntime embedded, String copyText, double copyRate, PrintStream out) throws Exception {
        String kafka = embedded.bootstrapServers();
        // other topic names: Debezium names its JMX beans after the topic prefix, and two connectors of
        // one prefix in one JVM wait for each other's beans
        TopicNames topics = new TopicNames("rvconnect");
        try (BenchCleanup cleanup = new BenchCleanup(pg, CONNECT_DEPLOYMENT, List.of());
             EmbeddedRuntime normaliser = new EmbeddedRuntime(RuntimeConfig.of(workDir.resolve("normaliser"), pg)
                     .withKafka(kafka).withDeployment(CONNECT_DEPLOYMENT).withTopics(topics)
                     .withRoles(Set.of(Role.NORMALISER)).withConnect(new ConnectSource(ConnectWorker.OFFSETS_TOPIC, null))).start();
             ConnectWorker connect = new ConnectWorker(kafka, "ruvector-bench-connect", 1)) {
            // on Ctrl-C the worker must let go of the slot before it is dropped
            cleanup.attach(() -> {
                connect.close();
                normaliser.close();
            });
            normaliser.register(new CollectionRequest(CONNECT_DEPLOYMENT, "public." + CONNECT_TABLE, "id", "embedding", Metric.L2,
                    null, List.of(), 0, 0, 0), 0);
            if (!normaliser.capture().awaitCapturing("public." + CONNECT_TABLE, Duration.ofMinutes(1))) {
                throw new IllegalStateException("the normaliser did not start");
            }
            connect.put(ConnectorConfig.forConnect(new CaptureConfig(CONNECT_DEPLOYMENT, pg, kafka, topics, null, 0, 0, null,
                    null, null, null), List.of("public." + CONNECT_TABLE), 1, 1000));
            out.println("Connect path (Debezium on a Kafka Connect distributed worker, JSON converter, the normaliser role):");
            return measure(normaliser, CONNECT_TABLE, CONNECT_DEPLOYMENT, copyText, copyRate, out);
        }
    }

    private void latency(EmbeddedRuntime runtime, String table, String collection, PrintStream out) throws Exception {
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        String topic = runtime.config().topics().vectors();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers(),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), runtime.vectorValues().deserializer());
             Connection c = connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?::vector)")) {
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
                String key = collection + "/" + id;
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
