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
                + "integrity (exact min cut vs JGraphT's Stoer-Wagner on 100-1000 node graphs).")
final class BenchCommand implements Callable<Integer> {

    enum Kind { ingest, integrity }

    @Parameters(index = "0", paramLabel = "KIND", description = "ingest or integrity")
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

    @Option(names = "--skip-jgrapht", description = "integrity: time only our min cut (JGraphT takes seconds per graph)")
    boolean skipJGraphT;

    @Option(names = "--work-dir", defaultValue = "data/bench", description = "scratch broker directory (wiped); default ${DEFAULT-VALUE}")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        return switch (kind) {
            case ingest -> {
                new IngestBenchmark(pg.settings(), workDir, rows, dimensions, latencySamples, seed, warmupRows, captureOnly).run(System.out);
                yield 0;
            }
            case integrity -> {
                io.ruvector.integrity.mincut.MinCutBenchmark.run(System.out, seed, !skipJGraphT);
                yield 0;
            }
        };
    }
}
