package io.ruvector.compose.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.compose.migrate.CheckReport;
import io.ruvector.compose.migrate.ConsistencyChecker;
import io.ruvector.compose.migrate.MigrationVerifier;
import io.ruvector.compose.migrate.RuntimeClient;
import io.ruvector.compose.migrate.VerifyReport;
import io.ruvector.compose.pgvector.PgKnn;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./ruvector migrate}: the evidence for moving reads from pgvector to the index (docs/migration.md). */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Evidence for moving reads from pgvector to RuVector Streams: verify (recall, latency, freshness) "
                + "and check (every row and vector).",
        subcommands = {MigrateCommand.Verify.class, MigrateCommand.Check.class})
final class MigrateCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code migrate verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Asks the index, pgvector's exact scan and pgvector's own index (when the table has one) the same "
                    + "queries from your table; prints recall@k against the exact answer, latency p50/p95/p99, row counts, "
                    + "freshness, and a verdict."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:the verdict passed", "1:the verdict failed (the report says which check)",
                "2:invalid arguments, or PostgreSQL or the runtime could not be reached"})
    static final class Verify implements Callable<Integer> {

        @Mixin
        PgOptions pg = new PgOptions();

        @Mixin
        HttpOption http = new HttpOption();

        @Option(names = "--collection", required = true, description = "the collection to verify")
        String collection;

        @Option(names = "--queries", defaultValue = "200", description = "query vectors sampled from the table; default ${DEFAULT-VALUE}")
        int queries;

        @Option(names = "--queries-file", paramLabel = "FILE", description = "query vectors from a file instead: one JSON array per line")
        Path queriesFile;

        @Option(names = "--k", defaultValue = "10", description = "neighbours per query; default ${DEFAULT-VALUE}")
        int k;

        @Option(names = "--seed", description = "seed of the sample (printed; default random)")
        Long seed;

        @Option(names = "--tenant", description = "the tenant to verify (required for a multi-tenant collection)")
        String tenant;

        @Option(names = "--filter", paramLabel = "JSON", description = "a metadata filter as the search API takes it, e.g. '{\"lang\": \"en\"}'")
        String filter;

        @Option(names = "--ef-search", description = "the index's ef_search (default: its default)")
        Integer efSearch;

        @Option(names = "--pg-ef-search", description = "pgvector's hnsw.ef_search for its index's answer (default: the server's)")
        Integer pgEfSearch;

        @Option(names = "--pg-probes", description = "pgvector's ivfflat.probes for its index's answer (default: the server's)")
        Integer pgProbes;

        @Option(names = "--pg-iterative-scan", description = "pgvector 0.8 iterative index scans: off, strict_order or relaxed_order")
        String pgIterativeScan;

        @Option(names = "--min-recall", defaultValue = "0.95", description = "the index's recall@k must reach this; default ${DEFAULT-VALUE}")
        double minRecall;

        @Option(names = "--max-p99-ms", description = "the index's p99 latency must not exceed this (not checked by default)")
        Double maxP99Ms;

        @Option(names = "--max-row-difference", description = "|index rows - table rows| must not exceed this (reported only by default)")
        Long maxRowDifference;

        @Option(names = "--freshness-timeout-ms", defaultValue = "10000",
                description = "how long the index may take to reach PostgreSQL's current LSN; default ${DEFAULT-VALUE}")
        long freshnessTimeoutMs;

        @Option(names = "--include-self", description = "keep a sampled query's own row in the answers (left out by default: a trivial hit)")
        boolean includeSelf;

        @Option(names = "--json", description = "print the report as JSON")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (queriesFile != null && !java.nio.file.Files.isReadable(queriesFile)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--queries-file " + queriesFile + " is not a readable file");
            }
            if (freshnessTimeoutMs < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--freshness-timeout-ms must be >= 0");
            }
            MigrationVerifier.Options options;
            try {
                options = new MigrationVerifier.Options(collection, queries, k,
                        seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000), queriesFile, tenant,
                        filter(), efSearch, new PgKnn.IndexSettings(pgEfSearch, pgProbes, pgIterativeScan), minRecall,
                        maxP99Ms, maxRowDifference, Duration.ofMillis(freshnessTimeoutMs), includeSelf);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            VerifyReport report = new MigrationVerifier(pg.settings(), new RuntimeClient(http.url)).verify(options);
            System.out.print(json ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) + System.lineSeparator()
                    : report.text());
            return report.pass() ? 0 : 1;
        }

        private JsonNode filter() {
            if (filter == null) {
                return null;
            }
            try {
                JsonNode node = JSON.readTree(filter);
                if (!node.isObject()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--filter must be a JSON object, e.g. '{\"lang\": \"en\"}'");
                }
                return node;
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--filter is not JSON: " + e.getMessage());
            }
        }
    }

    /** {@code migrate check}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Compares every row of the table (id and vector) with the index, by digests per bucket and then "
                    + "row by row where they differ, and lists what differs."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:table and index hold the same rows", "1:differences remain (listed)",
                "2:invalid arguments, or PostgreSQL or the runtime could not be reached"})
    static final class Check implements Callable<Integer> {

        @Mixin
        PgOptions pg = new PgOptions();

        @Mixin
        HttpOption http = new HttpOption();

        @Option(names = "--collection", required = true, description = "the collection to check")
        String collection;

        @Option(names = "--timeout-ms", defaultValue = "10000",
                description = "how long to wait for the index to reach PostgreSQL's current LSN; default ${DEFAULT-VALUE}")
        long timeoutMs;

        @Option(names = "--json", description = "print the report as JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            CheckReport report = new ConsistencyChecker(pg.settings(), new RuntimeClient(http.url))
                    .check(collection, Duration.ofMillis(Math.max(0, timeoutMs)));
            System.out.print(json ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) + System.lineSeparator()
                    : report.text());
            return report.consistent() ? 0 : 1;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
}
