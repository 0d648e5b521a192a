package io.ruvector.integrity.topology;

import io.ruvector.integrity.contract.ContractedGraph;
import io.ruvector.integrity.contract.ContractedGraphBuilder;
import io.ruvector.integrity.contract.GraphBudgets;
import io.ruvector.integrity.contract.Telemetry;
import io.ruvector.integrity.lambda.LambdaMeter;
import io.ruvector.integrity.lambda.LambdaSettings;
import io.ruvector.integrity.signing.EventSigner;
import io.ruvector.integrity.signing.SigningKeys;
import io.ruvector.schemas.CdcStats;
import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.InstanceStats;
import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.MaintenanceJobStats;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.StandbyStats;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * What one sampling step costs: merge the samples, build the contracted graph, min cut, unit
 * cut and λ₂, and the state and event records, for a realistic collection; and signing one event
 * (Ed25519). Prints, per shape, the p50 / p95 / mean of the step and of its parts, and the share
 * of one core that a step plus one signature per 10 s cadence takes. Outside the test suite on purpose: it measures, it does not assert.
 *
 * <p>{@code SamplingStepBenchmark [seed=42] [runs=500]} (warm-up: as many runs again, at least 100).
 */
public final class SamplingStepBenchmark {

    /** partitions, instances, centroids, maintenance jobs. */
    private static final int[][] SHAPES = {{12, 2, 64, 2}, {48, 4, 256, 4}, {128, 8, 256, 8}};

    private SamplingStepBenchmark() {
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42L;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        run(System.out, seed, runs);
    }

    public static void run(PrintStream out, long seed, int runs) {
        int warmup = Math.max(100, runs / 2);
        out.printf("sampling-step benchmark seed=%d warmup=%d runs=%d cadence=10s%n", seed, warmup, runs);
        out.printf("%5s %4s %5s %4s %6s %6s %9s %9s %9s %9s %9s %9s %9s %9s%n", "parts", "inst", "cent", "jobs",
                "nodes", "edges", "graph p50", "cut+λ2 50", "step p50", "step p95", "step mean", "λ2 share", "sign p50",
                "core %");
        for (int[] shape : SHAPES) {
            SplittableRandom random = new SplittableRandom(seed);
            List<IntegritySample> samples = referenceSamples("bench", 1_000_000L, shape[0], shape[1], shape[2], shape[3],
                    random);
            IntegritySettings settings = IntegritySettings.DEFAULTS;
            ScopeEvaluator evaluator = new ScopeEvaluator(settings);
            ResolvedPolicy policy = ResolvedPolicy.resolve(settings, null, null);
            ContractedGraphBuilder builder = new ContractedGraphBuilder(GraphBudgets.DEFAULTS);
            LambdaMeter withLambda2 = new LambdaMeter(LambdaSettings.DEFAULTS);
            LambdaMeter cutOnly = new LambdaMeter(new LambdaSettings(false, 2));
            EventSigner signer = new EventSigner(SigningKeys.generate());
            Scope scope = new Scope("bench", null);
            IntegrityState[] previous = {null};
            long[] at = {1_000_000L};
            ContractedGraph graph = builder.build(Telemetry.merge(samples));
            IntegrityEvent event = evaluator.evaluate(scope, samples, 0, null, policy).events().getFirst();
            // The four timings interleave per iteration so that load from other processes on a shared
            // machine spreads over all of them instead of skewing one.
            List<Supplier<?>> work = List.of(
                    () -> builder.build(Telemetry.merge(samples)),
                    () -> withLambda2.measure(graph.graph()),
                    () -> cutOnly.measure(graph.graph()),
                    () -> {
                        at[0] += 10_000;
                        Evaluation e = evaluator.evaluate(scope, samples, at[0], previous[0], policy);
                        previous[0] = e.state();
                        return e;
                    },
                    () -> signer.sign(event));
            double[][] t = time(warmup, runs, work);
            double[] build = t[0];
            double[] step = t[3];
            double measureMean = mean(t[1]);
            double cutMean = mean(t[2]);
            boolean lambda2 = graph.graph().nodeCount() <= LambdaSettings.DEFAULTS.lambda2MaxNodes();
            // A steady evaluation publishes one SAMPLE event: one signature per step.
            double perStep = mean(step) + mean(t[4]);
            out.printf("%5d %4d %5d %4d %6d %6d %6.3f ms %6.3f ms %6.3f ms %6.3f ms %6.3f ms %9s %6.3f ms %8.4f%%%n",
                    shape[0], shape[1], shape[2], shape[3], graph.graph().nodeCount(), graph.graph().edgeCount(),
                    build[runs / 2], t[1][runs / 2], step[runs / 2], step[(int) (runs * 0.95)], mean(step),
                    lambda2 ? String.format("%.0f%%", 100 * (measureMean - cutMean) / measureMean) : "skipped",
                    t[4][runs / 2], 100 * perStep / 10_000.0);
        }
    }

    private static double mean(double[] xs) {
        return Arrays.stream(xs).average().orElse(0);
    }

    /** Runs each task once per iteration; per task, the sorted wall times in ms of the last {@code runs}. */
    private static double[][] time(int warmup, int runs, List<Supplier<?>> work) {
        double[][] times = new double[work.size()][runs];
        int sink = 0;
        for (int i = 0; i < warmup + runs; i++) {
            for (int w = 0; w < work.size(); w++) {
                long t0 = System.nanoTime();
                sink += work.get(w).get().hashCode() & 1;
                long t1 = System.nanoTime();
                if (i >= warmup) {
                    times[w][i - warmup] = (t1 - t0) / 1e6;
                }
            }
        }
        if (sink < 0) {
            throw new IllegalStateException("unreachable: keeps the results alive");
        }
        for (double[] row : times) {
            Arrays.sort(row);
        }
        return times;
    }

    /**
     * Samples of a healthy collection as its reporters would send them at {@code at}: one INDEX
     * sample per instance (partitions round-robin over the instances, one standby each on the next
     * instance; the first instance also reports the centroids and the maintenance jobs, each job on
     * one partition) and one CDC sample. Healthy means every quantity well inside its default
     * budget, with some spread.
     */
    public static List<IntegritySample> referenceSamples(String collection, long at, int partitions, int instances,
                                                         int centroids, int jobs, SplittableRandom random) {
        List<IntegritySample> out = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            String host = host(i);
            List<PartitionStats> parts = new ArrayList<>();
            for (int p = i; p < partitions; p += instances) {
                parts.add(partition(p, host, instances > 1 ? host((i + 1) % instances) : null, random));
            }
            IntegritySample.Builder sample = IntegritySample.newBuilder()
                    .setCollection(collection).setTenant(null).setSampledAtMillis(at)
                    .setSource(SampleSource.INDEX).setInstanceId(host).setPartitions(parts)
                    .setInstances(List.of(new InstanceStats(host, 0.2 + 0.2 * random.nextDouble(),
                            6_000L + random.nextInt(4_000))));
            if (i == 0) {
                sample.setCentroids(centroids(centroids, random)).setMaintenanceJobs(jobs(jobs, partitions));
            }
            out.add(sample.build());
        }
        out.add(IntegritySample.newBuilder().setCollection(collection).setTenant(null).setSampledAtMillis(at)
                .setSource(SampleSource.CDC).setInstanceId("capture")
                .setCdc(new CdcStats(1L << 20, 40L + random.nextInt(100), (long) random.nextInt(50), 1.0, false))
                .build());
        return out;
    }

    public static String host(int i) {
        return "index-" + i + ":7070";
    }

    private static PartitionStats partition(int p, String host, String standbyHost, SplittableRandom random) {
        return PartitionStats.newBuilder()
                .setPartition(p).setHost(host)
                .setVectorCount(100_000L + random.nextInt(-5_000, 5_000))
                .setAppliedPerSecond(500.0 * (0.9 + 0.2 * random.nextDouble()))
                .setLagRecords(random.nextInt(200)).setLagMillis(random.nextInt(500))
                .setApplyP50Micros(400L + random.nextInt(200)).setApplyP99Micros(2_000L + random.nextInt(3_000))
                .setQueryP50Micros(1_500L + random.nextInt(500)).setQueryP99Micros(5_000L + random.nextInt(5_000))
                .setErrorRate(0.0).setDeletedFraction(0.02).setMemoryBytes(400L << 20)
                .setStandbys(standbyHost == null ? List.of() : List.of(new StandbyStats(standbyHost,
                        (long) random.nextInt(100))))
                .build();
    }

    private static List<CentroidStats> centroids(int count, SplittableRandom random) {
        double[] weights = new double[count];
        double total = 0;
        for (int c = 0; c < count; c++) {
            weights[c] = 0.7 + 0.6 * random.nextDouble();
            total += weights[c];
        }
        List<CentroidStats> out = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            out.add(new CentroidStats("c" + c, weights[c] / total, 0.8 + 0.4 * random.nextDouble(), List.of()));
        }
        return out;
    }

    private static List<MaintenanceJobStats> jobs(int count, int partitions) {
        List<MaintenanceJobStats> out = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            out.add(new MaintenanceJobStats("job-" + j, j % 2 == 0 ? "compaction" : "snapshot", "RUNNING",
                    30_000L, false, List.of(j % partitions)));
        }
        return out;
    }
}
