package io.ruvector.compose.cli;

import io.ruvector.compose.bench.IngestBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./ruvector bench ingest}: measures us and PostgreSQL side by side on the same data. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: ingest (COPY rate vs end-to-end capture rate, commit-to-topic latency); "
                + "search (recall, QPS and latency vs pgvector HNSW, freshness under load); "
                + "integrity (exact min cut vs JGraphT's Stoer-Wagner on 100-1000 node graphs); "
                + "healing (faults injected under load: detect, command, recover, normal, refusals, recall, rows lost; then steady); "
                + "recovery (SIGKILL and restart of an indexed runtime: to ready and complete answers, backlog catch-up); "
                + "shadow (search latency with shadow reads against PostgreSQL at 100 %% against off); "
                + "failover (SIGKILL of one of two index instances under a search load, and its return).")
final class BenchCommand implements Callable<Integer> {

    enum Kind { ingest, search, integrity, healing, recovery, shadow, failover }

    enum Dataset { fashion_mnist, clustered }

    @Parameters(index = "0", paramLabel = "KIND", description = "ingest, search, integrity, healing, recovery, shadow or failover")
    Kind kind;

    @Mixin
    PgOptions pg = new PgOptions();

    @Option(names = "--rows", defaultValue = "100000", description = "rows to load; default ${DEFAULT-VALUE}")
    int rows;

    @Option(names = "--dimensions", defaultValue = "128", description = "vector dimension; default ${DEFAULT-VALUE}")
    int dimensions;

    @Option(names = "--latency-samples", defaultValue = "500", description = "single-row commits timed; default ${DEFAULT-VALUE}")
    int latencySamples;

    @Option(names = "--warmup-rows", defaultValue = "20000", description = "rows captured before timing, to warm up the JIT; default ${DEFAULT-VALUE}")
    int warmupRows;

    @Option(names = "--seed", defaultValue = "42", description = "random seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--capture-only", description = "ingest: run the runtime without the index topology")
    boolean captureOnly;

    @Option(names = "--via", defaultValue = "embedded",
            description = "ingest: embedded (Debezium in the runtime) or connect (also Debezium on a Kafka Connect worker with "
                    + "the normaliser role, in the same run); default ${DEFAULT-VALUE}")
    IngestBenchmark.Via via;

    @Option(names = "--skip-jgrapht", description = "integrity: time only our min cut (JGraphT takes seconds per graph)")
    boolean skipJGraphT;

    @Option(names = "--dataset", defaultValue = "clustered",
            description = "search: fashion_mnist (Debian's dataset-fashion-mnist, 60k x 784) or clustered (--rows x --dimensions, 50 clusters); default ${DEFAULT-VALUE}")
    Dataset dataset;

    @Option(names = "--queries", defaultValue = "500", description = "search: held-out queries; default ${DEFAULT-VALUE}")
    int queries;

    @Option(names = "--k", defaultValue = "10", description = "search: neighbours per query; default ${DEFAULT-VALUE}")
    int k;

    @Option(names = "--ef-search", split = ",", defaultValue = "10,20,40,80,160",
            description = "search: ef_search values swept on both engines; default ${DEFAULT-VALUE}")
    java.util.List<Integer> efSearch;

    @Option(names = "--freshness-rate", defaultValue = "1000", description = "search: rows/s inserted while probing freshness (0 = skip); default ${DEFAULT-VALUE}")
    int freshnessRate;

    @Option(names = "--freshness-seconds", defaultValue = "20", description = "search: how long the freshness load runs; default ${DEFAULT-VALUE}")
    int freshnessSeconds;

    @Option(names = "--cold-tier", description = "search: after the sweep, move every row to the cold tier (int8) and "
            + "sweep our in-process search again: memory saved against recall")
    boolean coldTier;

    @Option(names = "--partitions", defaultValue = "2", description = "search, healing: partitions of the vectors topic "
            + "(healing's hotspot fault needs at least 5); default ${DEFAULT-VALUE} (the runtime's)")
    int partitions;

    @Option(names = "--faults", split = ",", defaultValue = "contention,fragmentation,backlog",
            description = "healing: faults injected one after another; default ${DEFAULT-VALUE}")
    java.util.List<io.ruvector.compose.bench.HealingBenchmark.Fault> faults;

    @Option(names = "--steady-minutes", defaultValue = "10", description = "healing: minutes of load without a fault; default ${DEFAULT-VALUE}")
    int steadyMinutes;

    @Option(names = "--sample-seconds", defaultValue = "10", description = "healing: integrity sample interval; default ${DEFAULT-VALUE}")
    int sampleSeconds;

    @Option(names = "--backlog", defaultValue = "20000", description = "recovery: rows written while the runtime is down (0 = skip); default ${DEFAULT-VALUE}")
    int backlog;

    @Option(names = "--blocks", defaultValue = "40", description = "shadow: blocks of searches, off and on alternating (a multiple of 4); default ${DEFAULT-VALUE}")
    int blocks;

    @Option(names = "--block-size", defaultValue = "100", description = "shadow: searches per block; default ${DEFAULT-VALUE}")
    int blockSize;

    @Option(names = "--shadow-compare", defaultValue = "EXACT", description = "shadow: EXACT (pgvector's exact answer) or INDEXED (its HNSW index); default ${DEFAULT-VALUE}")
    io.ruvector.schemas.ShadowCompare shadowCompare;

    @Option(names = "--clients", defaultValue = "2", description = "failover: searching client threads; default ${DEFAULT-VALUE}")
    int clients;

    @Option(names = "--seconds", defaultValue = "60", description = "failover: seconds measured after the kill and after the "
            + "restart; default ${DEFAULT-VALUE}")
    int seconds;

    @Option(names = "--standby-reads", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "failover: standby copies answer for the lost instance's partitions (--no-standby-reads: "
                    + "they wait for the move); default ${DEFAULT-VALUE}")
    boolean standbyReads;

    @Option(names = "--work-dir", defaultValue = "data/bench", description = "scratch broker directory (wiped); default ${DEFAULT-VALUE}")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        // next to the work directory, which the benchmarks wipe: the libraries' routine lines go there
        System.out.printf("log file: %s%n", ConsoleLog.toFile(workDir.toAbsolutePath().resolveSibling(
                workDir.getFileName() + "-logs"), true));
        return switch (kind) {
            case ingest -> {
                new IngestBenchmark(pg.settings(), workDir, rows, dimensions, latencySamples, seed, warmupRows, captureOnly, via)
                        .run(System.out);
                yield 0;
            }
            case search -> {
                io.ruvector.compose.dataset.VectorDataset data = dataset();
                new io.ruvector.compose.bench.SearchBenchmark(pg.settings(), workDir, data, k, efSearch, freshnessRate,
                        freshnessSeconds, partitions, coldTier).run(System.out);
                yield 0;
            }
            case healing -> {
                if (faults.contains(io.ruvector.compose.bench.HealingBenchmark.Fault.hotspot)
                        && partitions < io.ruvector.compose.bench.HealingBenchmark.HOTSPOT_MIN_PARTITIONS) {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "the hotspot fault needs "
                            + "--partitions " + io.ruvector.compose.bench.HealingBenchmark.HOTSPOT_MIN_PARTITIONS
                            + " or more (a cut isolating one partition must cross more than 3 partition links)");
                }
                new io.ruvector.compose.bench.HealingBenchmark(pg.settings(), workDir, rows == 100_000 ? 20_000 : rows,
                        dimensions == 128 ? 64 : dimensions, faults, java.time.Duration.ofMinutes(steadyMinutes),
                        java.time.Duration.ofSeconds(sampleSeconds), partitions).run(System.out);
                yield 0;
            }
            case recovery -> {
                new io.ruvector.compose.bench.RecoveryBenchmark(pg.settings(), workDir, rows, dimensions, backlog, seed)
                        .run(System.out);
                yield 0;
            }
            case shadow -> {
                io.ruvector.compose.dataset.VectorDataset data = dataset();
                new io.ruvector.compose.bench.ShadowBenchmark(pg.settings(), workDir, data, partitions, blocks, blockSize,
                        shadowCompare).run(System.out);
                yield 0;
            }
            case failover -> {
                new io.ruvector.compose.bench.FailoverBenchmark(pg.settings(), workDir, rows == 100_000 ? 20_000 : rows,
                        dimensions, partitions, clients, java.time.Duration.ofSeconds(seconds), standbyReads, seed)
                        .run(System.out);
                yield 0;
            }
            case integrity -> {
                io.ruvector.integrity.mincut.MinCutBenchmark.run(System.out, seed, !skipJGraphT);
                yield 0;
            }
        };
    }

    /** The data set of {@code --dataset}: Fashion-MNIST (when installed) or generated clusters. */
    private io.ruvector.compose.dataset.VectorDataset dataset() throws java.io.IOException {
        return switch (dataset) {
            case fashion_mnist -> {
                if (!io.ruvector.compose.dataset.VectorDataset.fashionMnistInstalled()) {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                            "Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist (files in "
                                    + io.ruvector.compose.dataset.VectorDataset.FASHION_MNIST_DIR + ")");
                }
                yield io.ruvector.compose.dataset.VectorDataset.fashionMnist(rows >= 60_000 ? 0 : rows, queries);
            }
            case clustered -> io.ruvector.compose.dataset.VectorDataset.clustered(rows, dimensions, 50, queries, seed);
        };
    }
}
