package io.ruvector.compose.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.dataset.TableLoader;
import io.ruvector.compose.dataset.VectorDataset;
import io.ruvector.compose.http.HttpApiServer;
import io.ruvector.compose.http.HttpServerKind;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.compose.runtime.RuntimeLifecycle;
import io.ruvector.index.cluster.ClusterQueries;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnMerger;
import io.ruvector.index.query.KnnQuery;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegrityPolicy;
import io.ruvector.schemas.Metric;

import java.io.PrintStream;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./ruvector bench search}: on one dataset in one run, the same rows and queries, HNSW m 16 /
 * ef_construction 64 everywhere: pgvector (over JDBC as a client sends vectors, and with the query
 * vectors read inside the server as {@code pgbench} measures it), ours in-process and over HTTP,
 * and two peers in this JVM: jvector with one graph over all rows and Lucene HNSW in one merged
 * segment. Recall@k against pgvector's exact answer, QPS and p50/p95/p99 per {@code ef_search}
 * and client count, the best QPS at recall 0.95 and 0.99 with our ratios to each, build times and
 * bytes per vector. Then freshness: commit → searchable under a sustained insert rate. The slot,
 * publication and tables it created are dropped when it ends, also on Ctrl-C.
 */
public final class SearchBenchmark {

    private static final String TABLE = "bench_search";
    private static final String QUERIES_TABLE = "bench_search_queries";
    private static final int M = 16;
    private static final int EF_CONSTRUCTION = 64;
    private static final String PGVECTOR = "pgvector";
    private static final String PGVECTOR_IN_SERVER = "pgvector-srv";
    private static final String IN_PROCESS = "in-proc";
    private static final String HTTP = "http";
    private static final String HTTP_BASE64 = "http-b64";
    /** JSON over the JDK's own server, beside the default Jetty one (issue 11: measure the server). */
    private static final String HTTP_JDK = "http-jdk";
    private static final String JVECTOR = "jvector-1g";
    private static final String LUCENE = "lucene";
    private static final String COLLECTION = "bench_search";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PgConnectionSettings pg;
    private final Path workDir;
    private final VectorDataset data;
    private final int k;
    private final List<Integer> efSearch;
    private final int freshnessRate;
    private final int freshnessSeconds;
    private final int partitions;
    private final boolean coldTier;

    /**
     * @param coldTier after the sweep, move every row to the cold tier and sweep our in-process
     *                 search again: memory saved against recall and QPS, then promote back
     */
    public SearchBenchmark(PgConnectionSettings pg, Path workDir, VectorDataset data, int k, List<Integer> efSearch,
                           int freshnessRate, int freshnessSeconds, int partitions, boolean coldTier) {
        this.partitions = partitions;
        this.coldTier = coldTier;
        if (k < 1 || efSearch.isEmpty() || freshnessRate < 0 || freshnessSeconds < 0) {
            throw new IllegalArgumentException("k >= 1, at least one ef_search, freshness rate and seconds >= 0");
        }
        this.pg = pg;
        this.workDir = workDir;
        this.data = data;
        this.k = k;
        this.efSearch = List.copyOf(efSearch);
        this.freshnessRate = freshnessRate;
        this.freshnessSeconds = freshnessSeconds;
    }

    public void run(PrintStream out) throws Exception {
        out.printf("bench search: %s, %d dimensions, %d queries, k=%d, ef_search %s, %d partitions, cores=%d%n", data.name(),
                data.dimensions(), data.queries().length, k, efSearch, partitions, Runtime.getRuntime().availableProcessors());
        try (BenchCleanup cleanup = new BenchCleanup(pg, COLLECTION, List.of(TABLE, QUERIES_TABLE))) {
            cleanup.dropLeftovers();
            try (Connection c = connect(); Statement st = c.createStatement()) {
                long t0 = System.nanoTime();
                TableLoader.load(c, TABLE, data, n -> { });
                out.printf("loaded %d rows with COPY in %.1f s%n", data.size(), seconds(t0));
                loadQueries(c);
            }
            List<List<String>> truth = exactTruth(out);
            run(out, cleanup, truth);
        }
    }

    private void run(PrintStream out, BenchCleanup cleanup, List<List<String>> truth) throws Exception {
        try (EmbeddedRuntime runtime = startWithoutHolds(pg, workDir, COLLECTION, partitions)) {
            cleanup.attach(runtime);
            long t0 = System.nanoTime();
            runtime.register(new CollectionRequest(COLLECTION, "public." + TABLE, "id", "embedding", Metric.L2, null,
                    List.of("label"), M, EF_CONSTRUCTION, 0), data.dimensions());
            awaitIndexed(runtime);
            double ourBuild = seconds(t0);
            out.printf("ruvector: registered and indexed (snapshot + HNSW m=%d ef_construction=%d) in %.1f s%n", M,
                    EF_CONSTRUCTION, ourBuild);
            awaitSearchesUnthrottled(runtime, out);

            double pgBuild;
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute("SET maintenance_work_mem = '2GB'");
                long b0 = System.nanoTime();
                st.execute("CREATE INDEX " + TABLE + "_hnsw ON " + TABLE + " USING hnsw (embedding vector_l2_ops) "
                        + "WITH (m = " + M + ", ef_construction = " + EF_CONSTRUCTION + ")");
                pgBuild = seconds(b0);
                out.printf("pgvector: CREATE INDEX USING hnsw (m=%d, ef_construction=%d) in %.1f s%n", M, EF_CONSTRUCTION, pgBuild);
                st.execute("VACUUM ANALYZE " + TABLE);
            }
            out.printf("build: ruvector snapshot through capture to searchable / pgvector CREATE INDEX = %.2f%n", ourBuild / pgBuild);
            long b0 = System.nanoTime();
            try (JvectorPeer jvector = JvectorPeer.build(data, M, EF_CONSTRUCTION)) {
                out.printf("jvector (one graph over all rows): built in %.1f s%n", seconds(b0));
                long l0 = System.nanoTime();
                try (LucenePeer lucene = LucenePeer.build(data, workDir.resolve("lucene"), M, EF_CONSTRUCTION)) {
                    out.printf("lucene (HNSW, one merged segment): built in %.1f s%n", seconds(l0));
                    reportMemory(out, runtime, jvector, lucene);
                    List<Run> runs = measure(out, runtime, truth, jvector, lucene);
                    if (coldTier) {
                        measureColdTier(out, runtime, truth, runs);
                    }
                }
            }
            if (freshnessRate > 0 && freshnessSeconds > 0) {
                // pgvector's HNSW index makes every insert pay its graph update (milliseconds at high
                // dimensions), which caps the writers far below the target rate: drop it first.
                try (Connection c = connect(); Statement st = c.createStatement()) {
                    st.execute("DROP INDEX IF EXISTS " + TABLE + "_hnsw");
                }
                new FreshnessProbe(pg, TABLE, COLLECTION, runtime.index(), data.dimensions()).run(out, freshnessRate,
                        freshnessSeconds, data.size() + 1);
            }
        }
    }

    private List<Run> measure(PrintStream out, EmbeddedRuntime runtime, List<List<String>> truth, JvectorPeer jvector,
                              LucenePeer lucene) throws Exception {
        int port = runtime.serveHttp(0).port();
        try (HttpApiServer jdk = HttpApiServer.start(runtime, new java.net.InetSocketAddress(
                java.net.InetAddress.getLoopbackAddress(), 0), HttpServerKind.JDK)) {
            return measure(out, runtime, truth, jvector, lucene, port, jdk.port());
        }
    }

    private List<Run> measure(PrintStream out, EmbeddedRuntime runtime, List<List<String>> truth, JvectorPeer jvector,
                              LucenePeer lucene, int port, int jdkPort) throws Exception {
        out.printf("%n%-8s %-12s %-7s %8s %9s %9s %9s %9s%n", "ef", "engine", "clients", "recall", "QPS",
                "p50 ms", "p95 ms", "p99 ms");
        java.util.Map<String, Searcher.Factory> engines = new java.util.LinkedHashMap<>();
        engines.put(PGVECTOR, this::pgvectorSearcher);
        engines.put(PGVECTOR_IN_SERVER, this::pgvectorInServerSearcher);
        engines.put(IN_PROCESS, () -> inProcessSearcher(runtime.cluster()));
        engines.put(HTTP, () -> httpSearcher(port, false));
        engines.put(HTTP_BASE64, () -> httpSearcher(port, true));
        engines.put(HTTP_JDK, () -> httpSearcher(jdkPort, false));
        engines.put(JVECTOR, jvector::searcher);
        engines.put(LUCENE, lucene::searcher);
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("EXPLAIN SELECT id FROM " + TABLE + " ORDER BY embedding <-> (SELECT embedding FROM "
                     + QUERIES_TABLE + " WHERE qid = 0) LIMIT " + k)) {
            StringBuilder plan = new StringBuilder();
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
            out.printf("%s plan uses the HNSW index: %s%n", PGVECTOR_IN_SERVER, plan.indexOf(TABLE + "_hnsw") >= 0 ? "yes" : "NO:\n" + plan);
        }
        // Warm-up, not measured: every engine answers the query set once, so that the first
        // configuration of the sweep does not pay the JIT for whichever engine runs first.
        for (Searcher.Factory engine : engines.values()) {
            SearchLoad.once(engine, data.queries(), truth, k, efSearch.getFirst());
        }
        List<Run> runs = new ArrayList<>();
        for (int ef : efSearch) {
            for (int clients : List.of(1, 2)) {
                for (var engine : engines.entrySet()) {
                    var server = runtime.metrics().searchTimer().takeSnapshot();
                    SearchLoad.Result result = SearchLoad.run(engine.getValue(), data.queries(), truth, k, ef, clients);
                    print(out, ef, engine.getKey(), result);
                    if (engine.getKey().startsWith(HTTP)) {
                        // The server's share: its own time per search (parse, search, answer) over the client's.
                        var after = runtime.metrics().searchTimer().takeSnapshot();
                        double serverMs = (after.total(java.util.concurrent.TimeUnit.NANOSECONDS)
                                - server.total(java.util.concurrent.TimeUnit.NANOSECONDS)) / 1e6 / (after.count() - server.count());
                        out.printf("%-8s %-12s server %.3f ms of a mean %.3f ms per request (%.0f %%)%n", "", "",
                                serverMs, result.latencies().meanMs(), 100 * serverMs / result.latencies().meanMs());
                    }
                    runs.add(new Run(ef, engine.getKey(), result));
                }
            }
        }
        summarise(out, runs, 0.95);
        summarise(out, runs, 0.99);
        return runs;
    }

    /**
     * The cold tier on the same data: every row moved to int8 codes (as {@code evict_cold_data}
     * does for idle rows), vector memory against float32, then our in-process search swept again
     * (candidates re-scored from the store) and compared with the hot run at the same ef_search.
     */
    private void measureColdTier(PrintStream out, EmbeddedRuntime runtime, List<List<String>> truth, List<Run> hot)
            throws Exception {
        var stores = runtime.index().localStores();
        Searcher.Factory exact = () -> exactSearcher(runtime.cluster());
        SearchLoad.once(exact, data.queries(), truth, k, 0); // warm-up, not measured
        SearchLoad.Result exactHot = SearchLoad.run(exact, data.queries(), truth, k, 0, 1);
        long vectorsBefore = vectorBytes(runtime);
        long raw = (long) data.size() * data.dimensions() * Float.BYTES;
        long t0 = System.nanoTime();
        long longest = 0;
        long moved = 0;
        for (var store : stores) {
            long s0 = System.nanoTime();
            // every row idle "since a second from now": all of them move
            moved += store.evictIdle(COLLECTION, System.currentTimeMillis() + 1_000).rows();
            longest = Math.max(longest, System.nanoTime() - s0);
        }
        long vectorsAfter = vectorBytes(runtime);
        out.printf("%ncold tier: %d rows moved in %.1f s (longest write-lock hold %.0f ms); vectors %.1f MB -> %.1f MB "
                        + "(%.3f of before; %.0f bytes/vector = %.3f of float32's %d)%n", moved, seconds(t0), longest / 1e6,
                vectorsBefore / 1e6, vectorsAfter / 1e6, (double) vectorsAfter / vectorsBefore,
                (double) vectorsAfter / data.size(), (double) vectorsAfter / raw, data.dimensions() * Float.BYTES);
        out.printf("%-8s %-12s %-7s %8s %9s %9s %9s %9s %12s %10s%n", "ef", "engine", "clients", "recall", "QPS",
                "p50 ms", "p95 ms", "p99 ms", "recall hot", "QPS/hot");
        Searcher.Factory cold = () -> inProcessSearcher(runtime.cluster());
        SearchLoad.once(cold, data.queries(), truth, k, efSearch.getFirst()); // warm-up, not measured
        for (int ef : efSearch) {
            SearchLoad.Result r = SearchLoad.run(cold, data.queries(), truth, k, ef, 1);
            Run same = hot.stream().filter(h -> h.ef() == ef && h.engine().equals(IN_PROCESS)
                    && h.result().clients() == 1).findFirst().orElse(null);
            out.printf("%-8d %-12s %-7d %8.4f %9.0f %9.3f %9.3f %9.3f %12s %10s%n", ef, "in-proc-cold", 1, r.recall(),
                    r.qps(), r.latencies().percentileMs(50), r.latencies().percentileMs(95), r.latencies().percentileMs(99),
                    same == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f", same.result().recall()),
                    same == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f", r.qps() / same.result().qps()));
        }
        // exact: hot rows scanned in memory, cold ones read from the store only where their codes'
        // error bound leaves them a chance of the top k (index.md, the cold tier)
        SearchLoad.Result exactCold = SearchLoad.run(exact, data.queries(), truth, k, 0, 1);
        for (var e : java.util.List.of(java.util.Map.entry("exact-hot", exactHot), java.util.Map.entry("exact-cold", exactCold))) {
            SearchLoad.Result r = e.getValue();
            out.printf("%-8s %-12s %-7d %8.4f %9.0f %9.3f %9.3f %9.3f %12s %10s%n", "-", e.getKey(), 1, r.recall(), r.qps(),
                    r.latencies().percentileMs(50), r.latencies().percentileMs(95), r.latencies().percentileMs(99), "-",
                    String.format(java.util.Locale.ROOT, "%.2f", r.qps() / exactHot.qps()));
        }
        long p0 = System.nanoTime();
        long promoted = 0;
        for (var store : stores) {
            promoted += store.promoteAll(COLLECTION);
        }
        out.printf("cold tier: %d rows promoted back in %.1f s; vectors %.1f MB%n", promoted, seconds(p0),
                vectorBytes(runtime) / 1e6);
    }

    private static long vectorBytes(EmbeddedRuntime runtime) {
        return runtime.index().stats(COLLECTION).values().stream().mapToLong(s -> s.vectorBytes()).sum();
    }

    /** Bytes per vector of each engine's index against pgvector's table + HNSW index on the same rows. */
    private void reportMemory(PrintStream out, EmbeddedRuntime runtime, JvectorPeer jvector, LucenePeer lucene) throws Exception {
        long table;
        long hnsw;
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_table_size('" + TABLE + "'), pg_relation_size('" + TABLE + "_hnsw')")) {
            rs.next();
            table = rs.getLong(1);
            hnsw = rs.getLong(2);
        }
        var stats = runtime.index().stats(COLLECTION).values();
        long vectors = stats.stream().mapToLong(s -> s.vectorBytes()).sum();
        long graph = stats.stream().mapToLong(s -> s.graphBytes()).sum();
        long raw = (long) data.size() * data.dimensions() * Float.BYTES;
        double rows = data.size();
        out.printf("%nmemory (%d rows, raw float32 %.0f MB):%n", data.size(), raw / 1e6);
        out.printf("  pgvector  table %.0f MB + HNSW %.0f MB = %.0f bytes/vector%n", table / 1e6, hnsw / 1e6, (table + hnsw) / rows);
        out.printf("  ruvector  vectors %.0f MB + graphs (links, traversal codes) %.0f MB = %.0f bytes/vector (%.2f x pgvector's table + index)%n",
                vectors / 1e6, graph / 1e6, (vectors + graph) / rows, (double) (vectors + graph) / (table + hnsw));
        StoreBytes store = storeBytes(runtime);
        if (store.reported()) { // the key-value store under the index: RocksDB's native memory and its files
            long total = vectors + graph + store.memory();
            out.printf("  ruvector  + the store (RocksDB) in memory: memtables %.0f MB + block cache %.0f MB + table readers %.0f MB"
                            + " = %.0f bytes/vector in all (%.2f x pgvector's table + index); on disk %.0f MB of SST files%n",
                    store.memtables() / 1e6, store.blockCache() / 1e6, store.tableReaders() / 1e6, total / rows,
                    (double) total / (table + hnsw), store.sstFiles() / 1e6);
        } else {
            out.println("  ruvector  the store's RocksDB metrics are not reported: its native memory is not counted above");
        }
        out.printf("  jvector   vectors %.0f MB + graph %.0f MB = %.0f bytes/vector%n", raw / 1e6, jvector.graphBytes() / 1e6,
                (raw + jvector.graphBytes()) / rows);
        out.printf("  lucene    index files %.0f MB = %.0f bytes/vector%n", lucene.indexBytes() / 1e6, lucene.indexBytes() / rows);
    }

    private record Run(int ef, String engine, SearchLoad.Result result) {
    }

    /** RocksDB's own figures for the index's key-value stores, summed over the partitions (Kafka Streams' state metrics). */
    private record StoreBytes(boolean reported, long memtables, long blockCache, long tableReaders, long sstFiles) {
        long memory() {
            return memtables + blockCache + tableReaders;
        }
    }

    private static StoreBytes storeBytes(EmbeddedRuntime runtime) {
        java.util.Map<String, Long> sums = new java.util.HashMap<>();
        runtime.index().streams().metrics().forEach((name, metric) -> {
            if ("stream-state-metrics".equals(name.group())
                    && io.ruvector.index.topology.IndexTopology.STORE_NAME.equals(name.tags().get("rocksdb-state-id"))
                    && metric.metricValue() instanceof Number value) {
                // the partitions' stores share one block cache (StoreMemory): each reports all of it
                sums.merge(name.name(), value.longValue(), name.name().startsWith("block-cache") ? Math::max : Long::sum);
            }
        });
        return new StoreBytes(sums.containsKey("size-all-mem-tables"), sums.getOrDefault("size-all-mem-tables", 0L),
                sums.getOrDefault("block-cache-usage", 0L), sums.getOrDefault("estimate-table-readers-mem", 0L),
                sums.getOrDefault("total-sst-files-size", 0L));
    }

    /** Per client count: each engine's best QPS among its runs with recall ≥ {@code goal}, and our ratios to every peer. */
    private static void summarise(PrintStream out, List<Run> runs, double goal) {
        out.printf("%nat recall@k >= %.2f (best QPS over the ef_search sweep):%n", goal);
        for (int clients : List.of(1, 2)) {
            java.util.Map<String, Run> best = new java.util.LinkedHashMap<>();
            for (Run run : runs) {
                if (run.result().clients() == clients && run.result().recall() >= goal) {
                    best.merge(run.engine(), run, (a, b) -> a.result().qps() >= b.result().qps() ? a : b);
                }
            }
            out.printf("  %d client(s):%n", clients);
            best.forEach((engine, run) -> out.printf("    %-12s %7.0f QPS (ef %d, recall %.3f, p99 %.2f ms)%n", engine,
                    run.result().qps(), run.ef(), run.result().recall(), run.result().latencies().percentileMs(99)));
            for (String ours : List.of(IN_PROCESS, HTTP, HTTP_BASE64, HTTP_JDK)) {
                StringBuilder line = new StringBuilder(String.format("    %-12s", ours + ":"));
                for (String peer : List.of(PGVECTOR, PGVECTOR_IN_SERVER, LUCENE, JVECTOR)) {
                    Run a = best.get(ours);
                    Run b = best.get(peer);
                    line.append(String.format(" /%s %s", peer, a == null || b == null ? "n/a"
                            : String.format("%.2f", a.result().qps() / b.result().qps())));
                }
                out.println(line);
            }
        }
    }

    /** The query vectors as rows of a table, so that a client can name a query by number (as pgbench does). */
    private void loadQueries(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + QUERIES_TABLE);
            st.execute("CREATE TABLE " + QUERIES_TABLE + " (qid int PRIMARY KEY, embedding vector(" + data.dimensions() + ") NOT NULL)");
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + QUERIES_TABLE + " VALUES (?, ?::vector)")) {
            for (int i = 0; i < data.queries().length; i++) {
                insert.setInt(1, i);
                insert.setString(2, TableLoader.literal(data.queries()[i]));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** pgvector's exact top-k (index scans off: a sequential scan), the ground truth of recall. */
    private List<List<String>> exactTruth(PrintStream out) throws SQLException {
        long t0 = System.nanoTime();
        List<List<String>> truth = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("SET enable_indexscan = off");
            try (PreparedStatement q = c.prepareStatement("SELECT id::text FROM " + TABLE
                    + " ORDER BY embedding <-> ?::vector LIMIT " + k)) {
                for (float[] query : data.queries()) {
                    truth.add(ids(q, query));
                }
            }
        }
        out.printf("ground truth: pgvector exact top-%d of %d queries (sequential scan) in %.1f s%n", k,
                data.queries().length, seconds(t0));
        return truth;
    }

    /** pgvector as a client uses it: the query vector sent as text. */
    private Searcher pgvectorSearcher() throws SQLException {
        java.util.Map<float[], String> literals = new java.util.IdentityHashMap<>(); // per client: one thread
        return pgvectorSearcher("SELECT id::text FROM " + TABLE + " ORDER BY embedding <-> ?::vector LIMIT " + k,
                (q, query) -> q.setString(1, literals.computeIfAbsent(query, TableLoader::literal)));
    }

    /**
     * pgvector as {@code pgbench} measures it: the client names the query by number and the vector
     * is read inside the server, so no vector crosses the wire as text.
     */
    private Searcher pgvectorInServerSearcher() throws SQLException {
        java.util.IdentityHashMap<float[], Integer> numbers = new java.util.IdentityHashMap<>();
        for (int i = 0; i < data.queries().length; i++) {
            numbers.put(data.queries()[i], i);
        }
        return pgvectorSearcher("SELECT id::text FROM " + TABLE + " ORDER BY embedding <-> (SELECT embedding FROM "
                + QUERIES_TABLE + " WHERE qid = ?) LIMIT " + k, (q, query) -> q.setInt(1, numbers.get(query)));
    }

    /** Sets a prepared search's parameter from the query vector. */
    private interface QueryBinder {
        void bind(PreparedStatement q, float[] query) throws SQLException;
    }

    /** One connection per client; {@code hnsw.ef_search} set when it changes. */
    private Searcher pgvectorSearcher(String sql, QueryBinder binder) throws SQLException {
        Connection c = connect();
        PreparedStatement q = c.prepareStatement(sql);
        Statement set = c.createStatement();
        return new Searcher() {
            private int ef = -1;

            @Override
            public List<String> search(float[] query, int limit, int efSearch) throws SQLException {
                if (efSearch != ef) {
                    set.execute("SET hnsw.ef_search = " + efSearch);
                    ef = efSearch;
                }
                binder.bind(q, query);
                return ids(q);
            }

            @Override
            public void close() throws SQLException {
                c.close();
            }
        };
    }

    /** The Java API path: IQv2 on this JVM's partitions (all of them: a single instance), merged. */
    private static Searcher exactSearcher(ClusterQueries cluster) {
        return (query, limit, efSearch) -> KnnMerger.merge(cluster.gather(new KnnQuery(
                        BenchRequests.exact(COLLECTION, query, limit)), BenchRequests.noPeers()).values(), limit)
                .hits().stream().map(KnnHit::id).toList();
    }

    private static Searcher inProcessSearcher(ClusterQueries cluster) {
        return (query, limit, efSearch) -> KnnMerger.merge(cluster.gather(new KnnQuery(
                        BenchRequests.approximate(COLLECTION, query, limit, efSearch)), BenchRequests.noPeers()).values(), limit)
                .hits().stream().map(KnnHit::id).toList();
    }

    /**
     * One keep-alive connection per client ({@link KeepAliveHttp}); the query as JSON numbers, or
     * with {@code base64} as {@code vector_base64}, little-endian float32. Each client encodes a
     * query's vector once (in the untimed warm-up pass) and replays the text, as a load generator
     * replays prepared requests; the JDBC client does the same with its vector literal.
     */
    private static Searcher httpSearcher(int port, boolean base64) {
        KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", port);
        String path = "/v1/collections/" + COLLECTION + "/search";
        return new Searcher() {
            private final java.util.Map<float[], String> vectors = new java.util.IdentityHashMap<>();

            @Override
            public List<String> search(float[] query, int limit, int efSearch) throws Exception {
                String vector = vectors.computeIfAbsent(query, v -> base64 ? "\"vector_base64\":\"" + base64(v) + "\""
                        : "\"vector\":" + TableLoader.literal(v));
                KeepAliveHttp.Reply reply = http.post(path, ("{" + vector + ",\"k\":" + limit + ",\"ef_search\":" + efSearch + "}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (reply.status() != 200) {
                    throw new IllegalStateException("search answered " + reply.status() + ": " + new String(reply.body()));
                }
                List<String> ids = new ArrayList<>(limit);
                for (JsonNode hit : JSON.readTree(reply.body()).get("results")) {
                    ids.add(hit.get("id").asText());
                }
                return ids;
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }

    private static String base64(float[] v) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(v.length * Float.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        return java.util.Base64.getEncoder().encodeToString(bytes.array());
    }

    /** Waits until the index holds every row (its stats count them), then until its watermark covers the load. */
    private void awaitIndexed(EmbeddedRuntime runtime) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (indexedRows(runtime) < data.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the index did not reach " + data.size() + " rows within 30 minutes");
            }
            Thread.sleep(200);
        }
        long lsn;
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            lsn = rs.getLong(1);
        }
        try {
            runtime.index().awaitWatermark(lsn, Duration.ofMinutes(30));
        } catch (TimeoutException e) {
            throw new IllegalStateException("the index did not catch up within 30 minutes: " + e.getMessage(), e);
        }
    }

    private static void awaitSearchesUnthrottled(EmbeddedRuntime runtime, PrintStream out) throws InterruptedException {
        awaitSearchesUnthrottled(runtime, COLLECTION, out);
    }

    /**
     * A fresh embedded runtime (work directory wiped, deployment and collection {@code name}) with
     * HTTP on a free port, whose collection {@code name} recovers without the 300 s holds: the
     * bulk load drives its integrity state down (lag far over budget) and a critical state admits
     * only 80 % of searches, so benchmarks measure only once it is no longer critical.
     */
    static EmbeddedRuntime startWithoutHolds(PgConnectionSettings pg, Path workDir, String name, int partitions)
            throws IOException, InterruptedException {
        RuntimeLifecycle.deleteRecursively(workDir);
        RuntimeConfig config = RuntimeConfig.of(workDir, pg).withBroker(BrokerConfig.ephemeral(workDir))
                .withDeployment(name).withHttp(HttpSettings.loopback(0)).withVectorPartitions(partitions);
        EmbeddedRuntime runtime = new EmbeddedRuntime(config).start();
        runtime.publishPolicy(IntegrityPolicy.newBuilder().setCollection(name).setRecoveryHoldSeconds(0L)
                .setCooldownSeconds(0L).setUpdatedAtMillis(System.currentTimeMillis()).setUpdatedBy("bench").build());
        return runtime;
    }

    /** Waits until {@code collection}'s integrity state is fresh and not critical (its searches not throttled). */
    static void awaitSearchesUnthrottled(EmbeddedRuntime runtime, String collection, PrintStream out) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            var state = runtime.integrityView().state(collection, null);
            if (state.isPresent() && state.get().getState() != IntegrityLevel.CRITICAL
                    && state.get().getLastSampleMillis() > System.currentTimeMillis() - 30_000) {
                out.printf("integrity: %s (searches not throttled) after %.1f s, λ %.3f; transitions during the load: %s%n",
                        state.get().getState(), seconds(start), state.get().getLambda(),
                        state.get().getTransitions().stream().map(t -> t.getFrom() + "->" + t.getTo()).toList());
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the collection stayed critical (searches throttled) for 10 minutes");
    }

    private static long indexedRows(EmbeddedRuntime runtime) {
        try {
            return runtime.index().stats(COLLECTION).values().stream().mapToLong(s -> s.liveRows()).sum();
        } catch (IllegalStateException e) { // starting or rebalancing
            return 0;
        }
    }

    private static List<String> ids(PreparedStatement q, float[] query) throws SQLException {
        q.setString(1, TableLoader.literal(query));
        return ids(q);
    }

    private static List<String> ids(PreparedStatement q) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static void print(PrintStream out, int ef, String engine, SearchLoad.Result r) {
        out.printf("%-8d %-10s %-7d %8.4f %9.0f %9.3f %9.3f %9.3f%n", ef, engine, r.clients(), r.recall(), r.qps(),
                r.latencies().percentileMs(50), r.latencies().percentileMs(95), r.latencies().percentileMs(99));
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
