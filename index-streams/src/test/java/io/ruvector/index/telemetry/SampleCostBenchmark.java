package io.ruvector.index.telemetry;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.index.query.KnnQuery;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.store.Changes;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.Metric;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.topic.TopicNames;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What telemetry costs, outside the test suite (TELEMETRY-NOTES.md has the command): the per-change
 * and per-query recording on the hot paths, a round with cached centroids (5 of every 6 at the
 * defaults) and a round that recomputes them (sample query + k-means), over the real topology on
 * a {@code TopologyTestDriver} (one partition; IQv2 through the store, Avro serialisation into a
 * capturing producer). Plain timing loops, not JMH: orders of magnitude, not nanoseconds.
 *
 * <p>Arguments: seed, collections, rows per collection, dims, rounds.
 */
public final class SampleCostBenchmark {

    private SampleCostBenchmark() {
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
        int collections = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        int dims = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        System.out.printf("seed=%d collections=%d rows/collection=%d dims=%d rounds=%d settings=%s%n", seed,
                collections, rows, dims, rounds, TelemetrySettings.DEFAULTS);
        hotPath();

        SplittableRandom random = new SplittableRandom(seed);
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        try (DriverIndex index = new DriverIndex(HnswSettings.DEFAULT, System::nanoTime)) {
            MockProducer<String, IntegritySample> producer = new MockProducer<>(true, null, new StringSerializer(),
                    AvroSerde.forValues(index.registry, IntegritySample.class));
            long loadStart = System.nanoTime();
            for (int c = 0; c < collections; c++) {
                for (int i = 0; i < rows; i++) {
                    index.vectors.pipeInput("c" + c + "/" + i, Changes.upsert("c" + c, Integer.toString(i), i + 1,
                            RandomVectors.uniform(random, dims)));
                }
            }
            System.out.printf("loaded %d rows in %.1f s%n", collections * rows, (System.nanoTime() - loadStart) / 1e9);
            IndexTelemetry telemetry = new IndexTelemetry(index, index.activity, index.jobs, producer,
                    TopicNames.DEFAULT.integritySamples(), TelemetrySettings.DEFAULTS, "bench:1", () -> Instant.ofEpochMilli(now.get()),
                    IndexTelemetry::processCpuCores);
            long[] cached = new long[rounds];
            long[] refresh = new long[rounds];
            long[] stats = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                for (int c = 0; c < collections; c++) {
                    index.stats("c" + c);
                }
                stats[r] = System.nanoTime() - start;
                activity(index, random, dims, collections, r);
                now.addAndGet(Duration.ofSeconds(10).toMillis()); // within the 60 s centroid interval: cached
                cached[r] = timed(telemetry);
                activity(index, random, dims, collections, r);
                now.addAndGet(Duration.ofSeconds(60).toMillis()); // past it: every collection recomputes
                refresh[r] = timed(telemetry);
            }
            report("StatsQuery alone        ", stats, collections);
            report("round, cached centroids ", cached, collections);
            report("round, centroid refresh ", refresh, collections);
            double perMinute = 5 * median(cached) + median(refresh); // 6 rounds a minute at the defaults
            System.out.printf("one core busy: %.4f %% (5 cached + 1 refresh round per minute, medians)%n",
                    perMinute / 60e9 * 100);
            System.out.printf("samples sent: %d%n", producer.history().size());
        }
    }

    /** Per-change and per-query recording cost, on one thread. */
    private static void hotPath() {
        PartitionCounters counters = new PartitionActivity().partition(0);
        int n = 20_000_000;
        for (int warm = 0; warm < 2; warm++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                counters.applied("c", 1_000 + (i & 4095), (i & 1) == 0, false, i);
            }
            long applied = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                counters.queried(50_000 + (i & 65535), false);
            }
            long queried = System.nanoTime() - start;
            counters.drain();
            if (warm == 1) {
                System.out.printf("hot path: applied() %.1f ns/call, queried() %.1f ns/call%n", (double) applied / n,
                        (double) queried / n);
            }
        }
    }

    /** Some changes and queries per collection so that every window has something to drain. */
    private static void activity(DriverIndex index, SplittableRandom random, int dims, int collections, int round) {
        for (int c = 0; c < collections; c++) {
            for (int i = 0; i < 20; i++) {
                String id = Integer.toString(random.nextInt(1_000));
                index.vectors.pipeInput("c" + c + "/" + id, Changes.upsert("c" + c, id, 1_000_000L + round * 100L + i,
                        RandomVectors.uniform(random, dims)));
                index.query(new KnnQuery(KnnRequest.of("c" + c, RandomVectors.uniform(random, dims), 10, Metric.L2)));
            }
        }
    }

    private static long timed(IndexTelemetry telemetry) {
        long start = System.nanoTime();
        telemetry.sampleOnce();
        return System.nanoTime() - start;
    }

    private static void report(String what, long[] nanos, int collections) {
        long[] steady = warm(nanos);
        System.out.printf("%s p50 %.3f ms  p95 %.3f ms  mean %.3f ms  (%d collections, %.3f ms each at p50)%n", what,
                median(nanos) / 1e6, steady[(int) (steady.length * 0.95)] / 1e6,
                Arrays.stream(steady).average().orElse(0) / 1e6, collections, median(nanos) / 1e6 / collections);
    }

    private static double median(long[] nanos) {
        long[] steady = warm(nanos);
        return steady[steady.length / 2];
    }

    /** Sorted, without the first tenth of the rounds (they warm the JIT up). */
    private static long[] warm(long[] nanos) {
        long[] steady = Arrays.copyOfRange(nanos, nanos.length / 10, nanos.length);
        Arrays.sort(steady);
        return steady;
    }
}
