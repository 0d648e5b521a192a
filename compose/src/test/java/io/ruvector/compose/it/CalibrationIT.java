package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.dataset.TableLoader;
import io.ruvector.compose.dataset.VectorDataset;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.SampleSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sensor does not cry wolf: healthy real data — Debian's Fashion-MNIST (60,000 × 784, the
 * demo's collection) and a clustered set of uneven real-looking clusters — stays NORMAL with the
 * default integrity policy through its load, a steady write load and an idle half-minute, with no
 * transition and no healing command. Samples every second (the only fast cadence here), so the
 * idle half-minute is 30 evaluations, as many as five idle minutes at the default 10 s.
 * The injected faults of the integrity tests (IntegritySkewIT, ThrottleIT, the topology tests)
 * are still detected with the same calibration. Right after the load, on the same 60,000 rows,
 * recall@10 of the graph search at the default {@code ef_search} over 200 Fashion-MNIST test images is at
 * least 0.95 ({@link RecallCheck}; the clustered set's recall is SearchRecallIT's).
 */
@RunsAlone
class CalibrationIT {

    /**
     * 30 evaluations at the test's 1 s cadence: as many as 5 idle minutes at the default 10 s, ten
     * times the samples a state change needs (60 until 2026-12-07; the suite had to stay within 20 minutes).
     */
    private static final Duration IDLE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;
    private final String deployment = "it_" + TestPostgres.unique();
    private EmbeddedRuntime runtime;
    /** Watches every collection every 500 ms through all phases, the recall check included. */
    private final ScheduledExecutorService observer = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, List<String>> seen = new ConcurrentHashMap<>();
    private final Map<String, Double> lowest = new ConcurrentHashMap<>();
    private volatile String phase = "load";

    @AfterEach
    void stop() throws Exception {
        observer.shutdownNow();
        if (runtime != null) {
            runtime.close();
        }
        TestPostgres.dropDeployment(deployment);
    }

    @Test
    void shouldStayNormalOnHealthyRealDataLoadedAndIdle() throws Exception {
        assertThat(VectorDataset.fashionMnistInstalled())
                .as("Debian's dataset-fashion-mnist is installed (./ruvector test installs it)").isTrue();
        runtime = new EmbeddedRuntime(RuntimeConfig.of(dataDir, TestPostgres.SETTINGS).withBroker(BrokerConfig.ephemeral(dataDir))
                .withDeployment(deployment).withHttp(HttpSettings.loopback(0))
                .withSampleInterval(Duration.ofSeconds(1))).start();
        HealingClient api = new HealingClient(runtime.serveHttp(0).port());
        String suffix = TestPostgres.unique();
        Map<String, Integer> collections = new LinkedHashMap<>();
        observer.scheduleWithFixedDelay(() -> seen.keySet().forEach(c -> observe(api, c)), 0, 500,
                TimeUnit.MILLISECONDS);
        // one load after the other: two collections loading at once share the vectors partitions,
        // and the second's changes really do wait behind the first's backlog
        VectorDataset fashion = VectorDataset.fashionMnist(60_000, 200); // 200 test images: the recall queries below
        loadAndAwait(api, "fm" + suffix, "calib_fm_" + suffix, fashion, collections);
        // the real set is loaded once per suite: its recall at the default ef_search is checked here, first
        phase = "recall check";
        double recall = RecallCheck.of(runtime.index(), "fm" + suffix, fashion.queries(), fashion.name());
        assertThat(recall).as("Fashion-MNIST recall@10 at the default ef_search").isGreaterThanOrEqualTo(0.95);
        phase = "second load";
        loadAndAwait(api, "cl" + suffix, "calib_cl_" + suffix, VectorDataset.clustered(20_000, 128, 16, 0, 7), collections);

        // a steady write load on the clustered set, then the idle period
        phase = "steady writes";
        String clusteredTable = "calib_cl_" + suffix;
        // 500 new rows a second for 20 s: fresh draws from the same clusters (the generator's rows
        // after the first 20,000), as new data of a real collection would be
        VectorDataset more = VectorDataset.clustered(30_000, 128, 16, 0, 7);
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int next = 20_000;
        try (Connection c = TestPostgres.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + clusteredTable
                     + " (id, embedding, label) VALUES (?, ?::vector, ?)")) {
            while (System.nanoTime() < until && next + 50 <= more.size()) {
                for (int i = next; i < next + 50; i++) {
                    insert.setLong(1, i + 1L);
                    insert.setString(2, TableLoader.literal(more.vectors()[i]));
                    insert.setString(3, more.labels()[i]);
                    insert.addBatch();
                }
                insert.executeBatch();
                next += 50;
                Thread.sleep(100);
            }
        }
        phase = "idle";
        Thread.sleep(IDLE.toMillis());
        observer.shutdown();
        assertThat(observer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        for (String c : collections.keySet()) {
            JsonNode integrity = api.get("/v1/collections/" + c + "/integrity");
            System.out.printf("CalibrationIT %s: λ %.3f (lowest %.3f), states seen %s, weakest %s%n", c,
                    integrity.path("lambda").asDouble(), lowest.getOrDefault(c, 1.0), distinct(seen.get(c)),
                    integrity.path("witness_edges"));
            assertThat(seen.get(c)).as("states of %s through load and idle", c).isNotEmpty().containsOnly("normal");
            assertThat(integrity.path("transitions")).as("transitions of %s", c).isEmpty();
            assertThat(integrity.path("lambda").asDouble()).isGreaterThanOrEqualTo(0.8);
            JsonNode history = api.get("/v1/collections/" + c + "/healing/history?limit=10");
            assertThat(history.path("outcomes")).as("no healing on a healthy collection").isEmpty();
        }
    }

    /** Loads {@code data} into a new table, registers it and waits until the index holds every row. */
    private void loadAndAwait(HealingClient api, String name, String table, VectorDataset data,
                              Map<String, Integer> collections) throws Exception {
        collections.put(load(name, table, data), data.size());
        seen.put(name, new CopyOnWriteArrayList<>());
        long indexedBy = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        boolean indexed = false;
        while (!indexed && System.nanoTime() < indexedBy) {
            indexed = api.get("/v1/collections/" + name + "/stats").path("count").asLong() == data.size();
            Thread.sleep(500);
        }
        assertThat(indexed).as("%s indexed within 4 minutes", name).isTrue();
    }

    private String load(String name, String table, VectorDataset data) throws Exception {
        try (Connection c = TestPostgres.connect()) {
            TableLoader.load(c, table, data, n -> { });
        }
        runtime.register(new CollectionRequest(name, "public." + table, "id", "embedding", Metric.L2, null, List.of(),
                0, 0, 0), data.dimensions());
        return name;
    }

    /** Records {@code collection}'s state, and what the sensor saw at a new lowest λ under 0.9 or when it left normal. */
    private void observe(HealingClient api, String collection) {
        JsonNode integrity;
        try {
            integrity = api.get("/v1/collections/" + collection + "/integrity");
        } catch (Exception e) { // the runtime is closing after a failure: the assertions say what went wrong
            return;
        }
        if (!integrity.path("evaluated").asBoolean()) {
            return;
        }
        String state = integrity.path("state").asText();
        double lambda = integrity.path("lambda").asDouble();
        boolean newLow = lambda < lowest.getOrDefault(collection, 1.0);
        if (newLow) {
            lowest.put(collection, lambda);
        }
        boolean leftNormal = !state.equals("normal") && !seen.get(collection).contains(state);
        if (lambda < 0.8 && !newLow && !leftNormal) { // one line per look below the threshold: how long it lasted
            System.out.printf("CalibrationIT %s: λ %.3f during the %s%n", collection, lambda, phase);
        }
        if (leftNormal || newLow && lambda < 0.9) { // near or past the threshold: for a flake's post-mortem
            System.out.printf("CalibrationIT %s: state %s, λ %.3f during the %s, witness %s%n", collection, state,
                    lambda, phase, integrity.path("witness_edges"));
            printLatestSamples(collection);
        }
        seen.get(collection).add(state);
    }

    /** What the sensor saw when a collection left normal: its last index samples, partition by partition. */
    private void printLatestSamples(String collection) {
        List<IntegritySample> samples = SignedRecords.read(runtime.bootstrapServers(),
                runtime.config().topics().integritySamples(), IntegritySample.class).stream()
                .filter(s -> s.getCollection().equals(collection) && s.getSource() == SampleSource.INDEX).toList();
        samples.subList(Math.max(0, samples.size() - 4), samples.size()).forEach(s -> {
            System.out.println("  sample at " + s.getSampledAtMillis() + " instances " + s.getInstances());
            s.getPartitions().forEach(p -> System.out.printf("    p%d rows %d applied/s %.1f lag %d/%d ms apply p99 %d query p99 %d err %.3f%n",
                    p.getPartition(), p.getVectorCount(), p.getAppliedPerSecond(), p.getLagRecords(), p.getLagMillis(),
                    p.getApplyP99Micros(), p.getQueryP99Micros(), p.getErrorRate()));
        });
    }

    private static List<String> distinct(List<String> states) {
        return states.stream().distinct().toList();
    }
}
