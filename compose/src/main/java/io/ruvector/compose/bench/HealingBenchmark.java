package io.ruvector.compose.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.dataset.TableLoader;
import io.ruvector.compose.dataset.VectorDataset;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.compose.runtime.RuntimeLifecycle;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.Metric;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./ruvector bench healing}: the embedded runtime under a steady query and write load, each
 * fault this release heals injected one after another, and per fault the time to detect (state
 * leaves normal), to command (a remediation is in flight), to recover (λ back ≥ 0.8) and to normal
 * (after the recovery holds), searches refused during the incident and after λ recovered, recall@10
 * before/during/after, and rows lost; then a steady period with no fault, counting state
 * transitions. Default cadence and policy throughout (10 s samples, 300 s recovery hold): the
 * goals are about them.
 */
public final class HealingBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "ruvector_bench_healing";
    private static final String COLLECTION = "bench_healing";
    private static final String DEPLOYMENT = "bench_healing";

    /** The faults this release can heal. */
    public enum Fault { backlog, fragmentation, contention, hotspot, memory }

    /** Partitions a hotspot needs: isolating one crosses partitions − 1 links, the classifier needs more than 3. */
    public static final int HOTSPOT_MIN_PARTITIONS = 5;

    private final PgConnectionSettings pg;
    private final Path workDir;
    private final int rows;
    private final int dimensions;
    private final List<Fault> faults;
    private final Duration steady;
    private final Duration sampleInterval;
    private final int partitions;
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicLong searches = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong nextId = new AtomicLong();
    /** The memory fault's budget (bytes), 0 before it runs. */
    private volatile long memoryBudget;

    /**
     * @param partitions vectors topic partitions; at least {@value #HOTSPOT_MIN_PARTITIONS} with the hotspot fault
     * @throws IllegalArgumentException for the hotspot fault on fewer partitions
     */
    public HealingBenchmark(PgConnectionSettings pg, Path workDir, int rows, int dimensions, List<Fault> faults,
                            Duration steady, Duration sampleInterval, int partitions) {
        if (faults.contains(Fault.hotspot) && partitions < HOTSPOT_MIN_PARTITIONS) {
            throw new IllegalArgumentException("the hotspot fault needs --partitions >= " + HOTSPOT_MIN_PARTITIONS
                    + " (a cut that isolates one partition must cross more than 3 partition links), got " + partitions);
        }
        this.partitions = partitions;
        this.pg = pg;
        this.workDir = workDir;
        this.rows = rows;
        this.dimensions = dimensions;
        this.faults = List.copyOf(faults);
        this.steady = steady;
        this.sampleInterval = sampleInterval;
    }

    /** What one fault did, in seconds from its injection (NaN = did not happen within the bound). */
    record FaultResult(Fault fault, double detect, double command, double recovered, double normal, long refusedDuring,
                       long refusedAfter, double recallBefore, double recallDuring, double recallAfter, String strategy,
                       String verified, long rowsLost, Move move) {
    }

    /**
     * A data move of the remediation (rebalance): rows that left the hot partition, their vector
     * bytes (rows × dimensions × 4; keys and metadata not counted), and the time from the command to
     * the hand-off settled (no row held twice). {@code rows = -1} when nothing moved.
     */
    record Move(long rows, long vectorBytes, double seconds) {
        static final Move NONE = new Move(-1, 0, Double.NaN);
    }

    public void run(PrintStream out) throws Exception {
        VectorDataset data = VectorDataset.clustered(rows, dimensions, 50, 50, 42);
        out.printf("bench healing: %d x %d clustered rows, faults %s, steady %s, samples every %s, cores=%d%n", rows,
                dimensions, faults, steady, sampleInterval, Runtime.getRuntime().availableProcessors());
        try (BenchCleanup cleanup = new BenchCleanup(pg, DEPLOYMENT, List.of(TABLE, TABLE + "_deleted"))) {
            cleanup.dropLeftovers();
            run(out, data, cleanup);
        }
    }

    private void run(PrintStream out, VectorDataset data, BenchCleanup cleanup) throws Exception {
        try (Connection c = connect()) {
            TableLoader.load(c, TABLE, data, n -> { });
        }
        nextId.set(rows + 1L);
        RuntimeLifecycle.deleteRecursively(workDir);
        RuntimeConfig config = RuntimeConfig.of(workDir, pg).withBroker(BrokerConfig.ephemeral(workDir))
                .withDeployment(DEPLOYMENT).withHttp(HttpSettings.loopback(0)).withSampleInterval(sampleInterval)
                .withVectorPartitions(partitions);
        try (EmbeddedRuntime runtime = new EmbeddedRuntime(config).start()) {
            cleanup.attach(runtime);
            int port = runtime.serveHttp(0).port();
            runtime.register(new CollectionRequest(COLLECTION, "public." + TABLE, "id", "embedding", Metric.L2, null,
                    List.of("label"), 16, 64, 0), dimensions);
            awaitCount(port, rows, Duration.ofMinutes(20));
            out.printf("indexed %d rows; waiting for the normal state and the end of the initial load%n", rows);
            awaitState(runtime, IntegrityLevel.NORMAL, Duration.ofMinutes(15));
            awaitLoadEnded(runtime);
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> load = List.of(Thread.ofPlatform().name("bench-searcher").start(() -> searchLoop(port, data, running)),
                    Thread.ofPlatform().name("bench-writer").start(() -> writeLoop(running)));
            List<FaultResult> results = new ArrayList<>();
            try {
                for (Fault fault : faults) {
                    results.add(inject(fault, runtime, port, data, out));
                }
                awaitState(runtime, IntegrityLevel.NORMAL, Duration.ofMinutes(15)); // after the last undo
                out.printf("%nsteady: %s with the query and write load and no fault%n", steady);
                int before = transitions(runtime);
                Thread.sleep(steady.toMillis());
                int falseTransitions = transitions(runtime) - before;
                print(out, results);
                out.printf("steady %s: %d state transitions (goal 0); searches %d, refused %d, failed %d%n", steady,
                        falseTransitions, searches.get(), refused.get(), failed.get());
            } finally {
                running.set(false);
                for (Thread t : load) {
                    t.join();
                }
            }
        }
    }

    private FaultResult inject(Fault fault, EmbeddedRuntime runtime, int port, VectorDataset data, PrintStream out) throws Exception {
        awaitState(runtime, IntegrityLevel.NORMAL, Duration.ofMinutes(15));
        double recallBefore = recall(port, data);
        long refusedAtStart = refused.get();
        if (fault == Fault.memory) {
            // the pressure builds over data that has sat idle: the loaded rows first pass the idle time
            // (rows the search load returns meanwhile stay hot, as they should); not counted in detect
            Thread.sleep(MEMORY_IDLE.plusSeconds(5).toMillis());
        }
        out.printf("%nfault %s: injecting%n", fault);
        long t0 = System.nanoTime();
        long injectedAtMillis = System.currentTimeMillis();
        AutoCloseable undo = switch (fault) {
            case backlog -> backlog();
            case fragmentation -> fragmentation(port);
            case contention -> ContendingJob.start(runtime, COLLECTION);
            case hotspot -> hotspot();
            case memory -> memory(port, out);
        };
        Map<Integer, Long> rowsAtCommand = null;
        Map<Integer, Long> rowsAtSettle = null;
        double moveSettled = Double.NaN;
        double detect = Double.NaN;
        double command = Double.NaN;
        double recovered = Double.NaN;
        double normal = Double.NaN;
        double recallDuring = Double.NaN;
        long refusedDuring = 0;
        long nextTrigger = 0;
        long lastEvaluation = 0; // each evaluation is printed once: what the sensor saw through the fault
        SampleWatch watch = new SampleWatch(runtime.bootstrapServers(), runtime.config().topics().integritySamples(),
                COLLECTION);
        long deadline = t0 + Duration.ofMinutes(15).toNanos();
        try (undo; watch) {
            while (System.nanoTime() < deadline && Double.isNaN(normal)) {
                double at = (System.nanoTime() - t0) / 1e9;
                Optional<IntegrityState> state = runtime.integrityView().state(COLLECTION, null);
                if (state.isPresent() && state.get().getLastSampleMillis() != lastEvaluation) {
                    lastEvaluation = state.get().getLastSampleMillis();
                    out.printf("  t=%5.1f s %s λ %.3f, below high %d, weakest %s%n    %s%n", at, state.get().getState(),
                            state.get().getLambda(), state.get().getConsecutiveBelowHigh(),
                            state.get().getWitnessEdges().stream().limit(1).map(w -> w.getSourceType() + ":"
                                    + w.getSourceId() + " → " + w.getTargetType() + ":" + w.getTargetId()).toList(),
                            watch.describe());
                }
                JsonNode healing = get(port, "/v1/collections/" + COLLECTION + "/healing");
                JsonNode active = healing.path("active");
                JsonNode last = healing.path("last_outcome");
                if (Double.isNaN(detect) && state.isPresent() && state.get().getState() != IntegrityLevel.NORMAL) {
                    detect = at;
                }
                boolean overBudget = fault == Fault.memory
                        && get(port, "/v1/collections/" + COLLECTION + "/stats").path("memory_bytes").asLong()
                        > MEMORY_LINE * memoryBudget;
                if (fault == Fault.memory && Double.isNaN(detect) && overBudget) {
                    detect = at; // memory is not in λ: the state stays normal, the samples show the pressure
                }
                // a remediation the engine started for this fault (the injection's own operator commands excluded)
                boolean engineActive = active.isObject() && !"execute".equals(active.path("trigger").asText());
                boolean engineDone = last.isObject() && last.path("started_at_millis").asLong() >= injectedAtMillis
                        && !"execute".equals(last.path("trigger").asText());
                if (Double.isNaN(command) && (engineActive || engineDone)) {
                    command = at;
                    rowsAtCommand = rowsPerPartition(runtime);
                    recallDuring = recall(port, data);
                }
                if (fault == Fault.hotspot && rowsAtCommand != null && Double.isNaN(moveSettled) && handedOff(runtime)) {
                    moveSettled = at;
                    rowsAtSettle = rowsPerPartition(runtime); // before the undo deletes what stayed behind
                }
                if (fault == Fault.memory && !Double.isNaN(command) && Double.isNaN(recovered) && !engineActive
                        && !overBudget) {
                    recovered = at;
                    normal = at;
                    refusedDuring = refused.get() - refusedAtStart;
                }
                if (fault != Fault.memory && !Double.isNaN(command) && Double.isNaN(recovered) && !engineActive
                        && state.isPresent() && state.get().getLambda() >= 0.8) {
                    recovered = at;
                    refusedDuring = refused.get() - refusedAtStart;
                }
                if (!Double.isNaN(recovered) && state.isPresent() && state.get().getState() == IntegrityLevel.NORMAL) {
                    normal = at;
                }
                if (fault == Fault.fragmentation && Double.isNaN(command) && System.nanoTime() > nextTrigger) {
                    // λ does not see fragmentation (it is a sample, not an edge): an operator's trigger asks
                    post(port, "/v1/collections/" + COLLECTION + "/healing/trigger", "");
                    nextTrigger = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
                Thread.sleep(250);
            }
        }
        long refusedAfter = refused.get() - refusedAtStart - refusedDuring;
        JsonNode last = get(port, "/v1/collections/" + COLLECTION + "/healing").path("last_outcome");
        double recallAfter = recall(port, data);
        long lost = rowsLost(port);
        Move move = Move.NONE;
        if (fault == Fault.hotspot && rowsAtCommand != null && rowsAtSettle != null) {
            long left = rowsAtCommand.getOrDefault(0, 0L) - rowsAtSettle.getOrDefault(0, 0L);
            move = new Move(left, left * dimensions * Float.BYTES, moveSettled - command);
        }
        FaultResult r = new FaultResult(fault, detect, command, recovered, normal, refusedDuring, refusedAfter, recallBefore,
                recallDuring, recallAfter, last.path("strategy").asText("-"), last.path("verified").asText("-"), lost, move);
        out.printf("fault %s: %s%n", fault, r);
        return r;
    }

    /**
     * One transaction of ten times the collection's rows: the index falls behind its lag budget for
     * longer than three samples (at 20,000 rows of 64 dimensions, three times the rows drained
     * within the 30 s the default policy needs to call it stress, so it was no incident).
     */
    private AutoCloseable backlog() throws Exception {
        long from = nextId.getAndAdd(BACKLOG_COPIES * rows);
        exec("INSERT INTO " + TABLE + " (id, embedding, label) SELECT " + (from - 1) + " + k * " + rows
                + " + id, embedding, label FROM " + TABLE + " CROSS JOIN generate_series(0, " + (BACKLOG_COPIES - 1)
                + ") k WHERE id <= " + rows);
        return () -> exec("DELETE FROM " + TABLE + " WHERE id >= " + from + " AND id < " + (from + BACKLOG_COPIES * rows));
    }

    private static final long BACKLOG_COPIES = 10;

    /**
     * Five times the collection's rows copied under new ids that all fall in partition 0's buckets
     * (the round-robin map of a fresh runtime): a hot key range, partition 0 holds about
     * 5 × partitions times its share. Undone by deleting the copies (after the remediation moved them).
     */
    private AutoCloseable hotspot() throws Exception {
        long from = nextId.get();
        StringBuilder ids = new StringBuilder();
        long id = from;
        for (int n = 0; n < HOTSPOT_COPIES * rows; id++) {
            if (io.ruvector.schemas.route.Buckets.of(Long.toString(id)) % partitions == 0) {
                ids.append(n++ == 0 ? "" : ",").append(id);
            }
        }
        nextId.set(id);
        long until = id;
        exec("INSERT INTO " + TABLE + " (id, embedding, label) SELECT h.id, t.embedding, t.label FROM unnest(ARRAY["
                + ids + "]::bigint[]) WITH ORDINALITY AS h(id, n) JOIN " + TABLE + " t ON t.id = 1 + (h.n - 1) % " + rows);
        return () -> exec("DELETE FROM " + TABLE + " WHERE id >= " + from + " AND id < " + until);
    }

    private static final long HOTSPOT_COPIES = 5;

    /** The classifier's memory pressure line: 85 % of the budget. */
    private static final double MEMORY_LINE = 0.85;

    /**
     * A memory budget set (a healing setting) at 1.25 × the index's memory now, then 30 % more rows
     * (copies under new ids): the memory crosses 85 % of the budget while λ stays normal. The engine
     * should move the rows idle for 15 s to the cold tier (the loaded rows, which the fault first
     * lets sit idle for 20 s; not those the search load returns or the write load writes). Undone by deleting the copies and
     * returning to the runtime's budget; rows left cold stay cold.
     */
    private AutoCloseable memory(int port, PrintStream out) throws Exception {
        long used = get(port, "/v1/collections/" + COLLECTION + "/stats").path("memory_bytes").asLong();
        memoryBudget = Math.round(used / 0.8);
        out.printf("fault memory: index memory %.1f MB, budget set to %.1f MB (pressure above %.1f MB)%n", used / 1e6,
                memoryBudget / 1e6, MEMORY_LINE * memoryBudget / 1e6);
        put(port, "/v1/healing/config", String.format(Locale.ROOT, "{\"memory_budget_mb\": %.3f, \"evict_idle_seconds\": %d}",
                memoryBudget / 1e6, MEMORY_IDLE.toSeconds()));
        long copies = Math.round(MEMORY_COPIES * rows);
        long from = nextId.getAndAdd(copies);
        exec("INSERT INTO " + TABLE + " (id, embedding, label) SELECT " + (from - 1) + " + id, embedding, label FROM "
                + TABLE + " WHERE id <= " + copies);
        return () -> {
            exec("DELETE FROM " + TABLE + " WHERE id >= " + from + " AND id < " + (from + copies));
            put(port, "/v1/healing/config", "{\"memory_budget_mb\": 0}");
        };
    }

    private static final double MEMORY_COPIES = 0.3;
    /** The memory fault's {@code evict_idle_seconds}: rows neither written nor returned for this long may go cold. */
    private static final Duration MEMORY_IDLE = Duration.ofSeconds(15);

    /** Live rows per partition, as the index's stores hold them. */
    private static Map<Integer, Long> rowsPerPartition(EmbeddedRuntime runtime) {
        Map<Integer, Long> rows = new java.util.TreeMap<>();
        runtime.index().stats(COLLECTION).forEach((p, s) -> rows.put(p, (long) s.liveRows()));
        return rows;
    }

    /** The hand-off settled: the index holds as many rows as the table, none twice. */
    private boolean handedOff(EmbeddedRuntime runtime) throws Exception {
        long held = rowsPerPartition(runtime).values().stream().mapToLong(Long::longValue).sum();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TABLE)) {
            rs.next();
            return held == rs.getLong(1);
        }
    }

    /**
     * 40 % of the rows deleted while background maintenance is paused (as when it falls behind);
     * undone by re-inserting them after the compaction.
     */
    private AutoCloseable fragmentation(int port) throws Exception {
        post(port, "/v1/collections/" + COLLECTION + "/healing/execute", "{\"strategy\": \"pause_maintenance\"}");
        Thread.sleep(5_000);
        exec("CREATE TABLE IF NOT EXISTS " + TABLE + "_deleted AS SELECT * FROM " + TABLE + " WITH NO DATA",
                "INSERT INTO " + TABLE + "_deleted SELECT * FROM " + TABLE + " WHERE id % 5 IN (0, 1) AND id <= " + rows,
                "DELETE FROM " + TABLE + " WHERE id % 5 IN (0, 1) AND id <= " + rows);
        return () -> exec("INSERT INTO " + TABLE + " SELECT * FROM " + TABLE + "_deleted ON CONFLICT DO NOTHING",
                "DROP TABLE " + TABLE + "_deleted");
    }

    private void searchLoop(int port, VectorDataset data, AtomicBoolean running) {
        int i = 0;
        while (running.get()) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(port, "/v1/collections/" + COLLECTION + "/search"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"vector\": " + Arrays.toString(data.queries()[i++ % data.queries().length])
                                + ", \"k\": 10}")).build(), HttpResponse.BodyHandlers.ofString());
                searches.incrementAndGet();
                if (r.statusCode() == 429) {
                    refused.incrementAndGet();
                } else if (r.statusCode() != 200) {
                    failed.incrementAndGet();
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failed.incrementAndGet();
            }
        }
    }

    /** About 20 changes a second: inserts of copies and updates of existing rows. */
    private void writeLoop(AtomicBoolean running) {
        while (running.get()) {
            try {
                long id = nextId.getAndIncrement();
                exec("INSERT INTO " + TABLE + " (id, embedding, label) SELECT " + id + ", embedding, label FROM " + TABLE
                        + " WHERE id = " + (id % rows + 1),
                        "UPDATE " + TABLE + " SET label = 'u' WHERE id = " + ((id * 7) % rows + 1));
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // a failed write is the benchmark's noise, not the system's: keep the load going
            }
        }
    }

    private double recall(int port, VectorDataset data) throws Exception {
        int hits = 0;
        int asked = 0;
        for (float[] q : data.queries()) {
            String vector = Arrays.toString(q);
            Set<String> exact = ids(port, "{\"vector\": " + vector + ", \"k\": 10, \"exact\": true}");
            Set<String> graph = ids(port, "{\"vector\": " + vector + ", \"k\": 10}");
            if (exact.isEmpty()) {
                continue; // refused or failed: counted by the load, not here
            }
            graph.retainAll(exact);
            hits += graph.size();
            asked += exact.size();
        }
        return asked == 0 ? Double.NaN : hits / (double) asked;
    }

    private Set<String> ids(int port, String body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(port, "/v1/collections/" + COLLECTION + "/search"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Set<String> out = new HashSet<>();
        if (r.statusCode() == 200) {
            JSON.readTree(r.body()).path("results").forEach(h -> out.add(h.path("id").asText()));
        }
        return out;
    }

    /**
     * Rows of the table missing from the index once it caught up with the WAL position at which the
     * table was counted (the write load goes on, so the index may hold more, never fewer); retried
     * for up to two minutes while the index catches up.
     */
    private long rowsLost(int port) throws Exception {
        long missing = Long.MAX_VALUE;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (missing > 0 && System.nanoTime() < deadline) {
            long tableRows;
            String lsn;
            try (Connection c = connect(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT count(*), pg_current_wal_lsn()::text FROM " + TABLE)) {
                    rs.next();
                    tableRows = rs.getLong(1);
                    lsn = rs.getString(2);
                }
            }
            HttpResponse<String> caughtUp = client.send(HttpRequest.newBuilder(uri(port, "/v1/collections/" + COLLECTION
                    + "/search")).POST(HttpRequest.BodyPublishers.ofString("{\"vector\": " + Arrays.toString(new float[dimensions])
                    + ", \"k\": 1, \"exact\": true, \"min_lsn\": \"" + lsn + "\", \"timeout_ms\": 30000}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (caughtUp.statusCode() != 200) {
                Thread.sleep(1_000); // refused (429) or not there yet: ask again
                continue;
            }
            long indexed = get(port, "/v1/collections/" + COLLECTION + "/stats").path("count").asLong();
            missing = Math.max(0, tableRows - indexed);
        }
        return missing;
    }

    private int transitions(EmbeddedRuntime runtime) {
        return runtime.integrityView().state(COLLECTION, null).map(s -> s.getTransitions().size()).orElse(0);
    }

    private void awaitState(EmbeddedRuntime runtime, IntegrityLevel level, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<IntegrityState> s = runtime.integrityView().state(COLLECTION, null);
            if (s.isPresent() && s.get().getState() == level) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(COLLECTION + " did not reach " + level + " within " + timeout);
    }

    /**
     * Waits until the sensor no longer counts the collection as loading: the capture's snapshot
     * rows stopped two sample intervals ago (the window it reports loading for) and two
     * evaluations ran since. A fault injected earlier would be taken as part of the load, whose
     * backlog is not scored and whose shape becomes the baseline (the 10 s-cadence hotspot miss).
     */
    private void awaitLoadEnded(EmbeddedRuntime runtime) throws InterruptedException {
        while (runtime.capture().isSnapshotLoadingWithin("public." + TABLE, sampleInterval.multipliedBy(2))) {
            Thread.sleep(500);
        }
        long since = runtime.integrityView().state(COLLECTION, null).map(IntegrityState::getLastSampleMillis).orElse(0L);
        int evaluations = 0;
        long deadline = System.nanoTime() + sampleInterval.multipliedBy(10).toNanos();
        while (evaluations < 2 && System.nanoTime() < deadline) {
            long last = runtime.integrityView().state(COLLECTION, null).map(IntegrityState::getLastSampleMillis).orElse(0L);
            if (last != since) {
                since = last;
                evaluations++;
            }
            Thread.sleep(250);
        }
    }

    private void awaitCount(int port, long count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get(port, "/v1/collections/" + COLLECTION + "/stats").path("count").asLong() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the index did not reach " + count + " rows within " + timeout);
            }
            Thread.sleep(500);
        }
    }

    private static void print(PrintStream out, List<FaultResult> results) {
        out.printf("%n%-14s %8s %8s %10s %8s %9s %9s %8s %8s %8s %-20s %8s %5s %9s %9s %7s%n", "fault", "detect s",
                "command s", "recovered s", "normal s", "refused-d", "refused-a", "recall-b", "recall-d", "recall-a",
                "strategy", "verified", "lost", "moved", "moved MB", "move s");
        for (FaultResult r : results) {
            out.printf(Locale.ROOT, "%-14s %8.1f %8.1f %10.1f %8.1f %9d %9d %8.3f %8.3f %8.3f %-20s %8s %5d %9s %9s %7s%n",
                    r.fault(), r.detect(), r.command(), r.recovered(), r.normal(), r.refusedDuring(), r.refusedAfter(),
                    r.recallBefore(), r.recallDuring(), r.recallAfter(), r.strategy(), r.verified(), r.rowsLost(),
                    r.move().rows() < 0 ? "-" : Long.toString(r.move().rows()),
                    r.move().rows() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.move().vectorBytes() / 1e6),
                    Double.isNaN(r.move().seconds()) ? "-" : String.format(Locale.ROOT, "%.1f", r.move().seconds()));
        }
        out.println("goals at the default cadence: detect <= 30 s, recovered <= 120 s, lost 0, 0 transitions when steady");
    }

    private JsonNode get(int port, String path) throws Exception {
        return JSON.readTree(client.send(HttpRequest.newBuilder(uri(port, path)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private void put(int port, String path, String body) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri(port, path)).PUT(HttpRequest.BodyPublishers
                .ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("PUT " + path + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private void post(int port, String path, String body) throws Exception {
        client.send(HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private void exec(String... statements) throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }
}
