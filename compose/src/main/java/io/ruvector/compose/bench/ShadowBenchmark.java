package io.ruvector.compose.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.dataset.TableLoader;
import io.ruvector.compose.dataset.VectorDataset;
import io.ruvector.compose.migrate.MigrationVerifier;
import io.ruvector.compose.migrate.RuntimeClient;
import io.ruvector.compose.pgvector.PgKnn;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.ShadowCompare;
import io.ruvector.schemas.ShadowPolicy;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./ruvector bench shadow}: what shadow reads cost the answers. One client searches the
 * runtime over HTTP in blocks with shadow reads off and at 100 % (PostgreSQL's exact answer, or
 * its index's with {@code --shadow-compare indexed}), in the order off, on, on, off, ...; each on
 * block is paired with its neighbouring off block, and the median of the pairs' latency ratios is
 * the result, with the shadow statistics (how many were compared, dropped, the overlap, and
 * PostgreSQL's time for the same queries). PostgreSQL runs on the same machine as the runtime.
 * Then {@code migrate verify} on the same collection (200 queries from the table).
 */
public final class ShadowBenchmark {

    private static final String TABLE = "bench_shadow";
    private static final String COLLECTION = "bench_shadow";
    private static final int WARM_UP = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PgConnectionSettings pg;
    private final Path workDir;
    private final VectorDataset data;
    private final int partitions;
    private final int blocks;
    private final int blockSize;
    private final ShadowCompare compare;

    public ShadowBenchmark(PgConnectionSettings pg, Path workDir, VectorDataset data, int partitions, int blocks,
                           int blockSize, ShadowCompare compare) {
        if (blocks < 4 || blocks % 4 != 0) {
            throw new IllegalArgumentException("--blocks must be a positive multiple of 4 (off, on, on, off), was " + blocks);
        }
        if (blockSize < 1) {
            throw new IllegalArgumentException("--block-size must be >= 1, was " + blockSize);
        }
        this.pg = pg;
        this.workDir = workDir;
        this.data = data;
        this.partitions = partitions;
        this.blocks = blocks;
        this.blockSize = blockSize;
        this.compare = compare;
    }

    public void run(PrintStream out) throws Exception {
        out.printf("bench shadow: %s, %d rows x %d dimensions, %d partitions, %d blocks of %d searches, compare %s, cores=%d%n",
                data.name(), data.size(), data.dimensions(), partitions, blocks, blockSize,
                compare.name().toLowerCase(Locale.ROOT), Runtime.getRuntime().availableProcessors());
        try (BenchCleanup cleanup = new BenchCleanup(pg, COLLECTION, List.of(TABLE))) {
            cleanup.dropLeftovers();
            long t0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.jdbcProperties())) {
                TableLoader.load(c, TABLE, data, n -> { });
                if (compare == ShadowCompare.INDEXED) {
                    c.createStatement().execute("CREATE INDEX ON " + TABLE + " USING hnsw (embedding vector_l2_ops)");
                }
                c.createStatement().execute("VACUUM ANALYZE " + TABLE);
            }
            out.printf("loaded %d rows%s in %.1f s%n", data.size(), compare == ShadowCompare.INDEXED ? " and built pgvector's HNSW"
                    : "", (System.nanoTime() - t0) / 1e9);
            try (EmbeddedRuntime runtime = SearchBenchmark.startWithoutHolds(pg, workDir, COLLECTION, partitions)) {
                cleanup.attach(runtime);
                runtime.register(new CollectionRequest(COLLECTION, "public." + TABLE, "id", "embedding", Metric.L2, null,
                        List.of("label"), 0, 0, 0), data.dimensions());
                String api = "http://127.0.0.1:" + runtime.serveHttp(0).port();
                RuntimeClient client = new RuntimeClient(api);
                long i0 = System.nanoTime();
                awaitRows(client, data.size());
                out.printf("indexed in %.1f s%n", (System.nanoTime() - i0) / 1e9);
                SearchBenchmark.awaitSearchesUnthrottled(runtime, COLLECTION, out);
                measure(out, runtime, client, api);
                // the same collection through ./ruvector migrate verify: recall and latency side by side
                out.println();
                out.print(new MigrationVerifier(pg, client).verify(new MigrationVerifier.Options(COLLECTION, 200, 10, 1, null,
                        null, null, null, PgKnn.IndexSettings.SERVER, 0.95, null, null, Duration.ofSeconds(10), false)).text());
            }
        }
    }

    private void measure(PrintStream out, EmbeddedRuntime runtime, RuntimeClient client, String api) throws Exception {
        float[][] queries = data.queries().length > 0 ? data.queries() : Arrays.copyOf(data.vectors(), 100);
        int next = 0;
        for (int i = 0; i < WARM_UP; i++) {
            client.search(COLLECTION, queries[next++ % queries.length], 10, null, null, null);
        }
        List<Long> off = new ArrayList<>();
        List<Long> on = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        double previousMedian = 0;
        for (int block = 0; block < blocks; block++) {
            boolean shadowOn = block % 4 == 1 || block % 4 == 2;
            runtime.setShadow(COLLECTION, shadowOn ? new ShadowPolicy(100.0, compare) : null);
            long[] times = new long[blockSize];
            for (int i = 0; i < blockSize; i++) {
                times[i] = client.search(COLLECTION, queries[next++ % queries.length], 10, null, null, null).nanos();
            }
            for (long t : times) {
                (shadowOn ? on : off).add(t);
            }
            double median = percentile(times, 0.5);
            if (block % 4 == 1) {
                ratios.add(median / previousMedian);
            } else if (block % 4 == 3) {
                ratios.add(previousMedian / median);
            }
            previousMedian = median;
        }
        runtime.setShadow(COLLECTION, null);
        double[] sortedRatios = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        long[] offTimes = off.stream().mapToLong(Long::longValue).toArray();
        long[] onTimes = on.stream().mapToLong(Long::longValue).toArray();
        out.printf("%n%-22s %9s %9s %9s %9s%n", "searches over HTTP", "count", "p50 ms", "p95 ms", "p99 ms");
        out.printf("%-22s %9d %9.3f %9.3f %9.3f%n", "shadow off", offTimes.length, percentile(offTimes, 0.5) / 1e6,
                percentile(offTimes, 0.95) / 1e6, percentile(offTimes, 0.99) / 1e6);
        out.printf("%-22s %9d %9.3f %9.3f %9.3f%n", "shadow at 100 %", onTimes.length, percentile(onTimes, 0.5) / 1e6,
                percentile(onTimes, 0.95) / 1e6, percentile(onTimes, 0.99) / 1e6);
        out.printf("latency on / off: median of %d paired blocks %.3f (quartiles %.3f .. %.3f); p50 %.3f, p99 %.3f%n",
                sortedRatios.length, sortedRatios[sortedRatios.length / 2], sortedRatios[sortedRatios.length / 4],
                sortedRatios[sortedRatios.length * 3 / 4], percentile(onTimes, 0.5) / (double) percentile(offTimes, 0.5),
                percentile(onTimes, 0.99) / (double) percentile(offTimes, 0.99));
        JsonNode view = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(api + "/v1/collections/" + COLLECTION + "/shadow")).build(), HttpResponse.BodyHandlers.ofString())
                .body()).path("instance");
        out.printf("shadow reads: %d of %d searches compared with PostgreSQL, %d dropped (pool full), %d errors; mean "
                        + "overlap@10 %.4f; PostgreSQL %.2f ms against the index's %.2f ms per query%n",
                view.path("shadowed").asLong(), onTimes.length, view.path("dropped").asLong(), view.path("errors").asLong(),
                view.path("mean_overlap").asDouble(), view.path("mean_postgres_ms").asDouble(),
                view.path("mean_index_ms").asDouble());
    }

    private static void awaitRows(RuntimeClient client, long rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (true) {
            try {
                if (client.stats(COLLECTION).path("count").asLong() >= rows) {
                    return;
                }
            } catch (IllegalStateException e) { // starting: 503
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the index did not reach " + rows + " rows within 30 minutes");
            }
            Thread.sleep(200);
        }
    }

    private static long percentile(long[] values, double q) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
    }
}
