package io.ruvector.compose.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.pgvector.FilterSql;
import io.ruvector.compose.pgvector.PgKnn;
import io.ruvector.compose.pgvector.PgKnn.Neighbour;
import io.ruvector.compose.pgvector.Recall;
import io.ruvector.compose.pgvector.PgTarget;
import io.ruvector.compose.pgvector.PgVectorIndex;
import io.ruvector.schemas.LsnText;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code ./ruvector migrate verify}: asks the index, pgvector's exact scan and pgvector's own index
 * (when the table has one for the metric) the same queries, drawn from the user's table, and
 * compares recall@k against the exact answer and latency; checks that the index holds the table's
 * rows and has caught up with PostgreSQL; and gives a verdict against the user's thresholds.
 * Latencies are measured by this client, one query at a time, the three answerers interleaved.
 */
public final class MigrationVerifier {

    /** Queries each answerer runs before measuring (connection set-up, caches). */
    static final int WARM_UP = 5;

    /**
     * What to verify and the verdict's thresholds.
     *
     * @param efSearch          the index's {@code ef_search}; null = its default
     * @param pgIndex           pgvector index settings for its answer
     * @param minRecall         the index's recall@k must reach this
     * @param maxP99Ms          the index's p99 must not exceed this; null = not checked
     * @param maxRowDifference  |index rows − table rows| must not exceed this; null = reported only
     * @param freshnessTimeout  how long the index may take to reach PostgreSQL's current LSN
     * @param includeSelf       keep a sampled query's own row in the answers
     */
    public record Options(String collection, int queries, int k, long seed, Path queriesFile, String tenant, JsonNode filter,
                          Integer efSearch, PgKnn.IndexSettings pgIndex, double minRecall, Double maxP99Ms,
                          Long maxRowDifference, Duration freshnessTimeout, boolean includeSelf) {

        public Options {
            Objects.requireNonNull(collection, "collection");
            if (queries < 1 || queries > 100_000) {
                throw new IllegalArgumentException("--queries must be in 1..100000, was " + queries);
            }
            if (k < 1 || k > 1000) {
                throw new IllegalArgumentException("--k must be in 1..1000, was " + k);
            }
            if (!(minRecall >= 0 && minRecall <= 1)) {
                throw new IllegalArgumentException("--min-recall must be in [0, 1], was " + minRecall);
            }
            if (maxP99Ms != null && !(maxP99Ms > 0)) {
                throw new IllegalArgumentException("--max-p99-ms must be > 0, was " + maxP99Ms);
            }
            if (maxRowDifference != null && maxRowDifference < 0) {
                throw new IllegalArgumentException("--max-row-difference must be >= 0, was " + maxRowDifference);
            }
            pgIndex = pgIndex == null ? PgKnn.IndexSettings.SERVER : pgIndex;
            freshnessTimeout = freshnessTimeout == null ? Duration.ofSeconds(10) : freshnessTimeout;
        }
    }

    private final PgConnectionSettings pg;
    private final RuntimeClient runtime;

    public MigrationVerifier(PgConnectionSettings pg, RuntimeClient runtime) {
        this.pg = Objects.requireNonNull(pg, "pg");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    public VerifyReport verify(Options o) throws IOException, InterruptedException, SQLException {
        JsonNode spec = runtime.collection(o.collection());
        String metric = spec.path("metric").asText();
        String tenantColumn = spec.path("tenant_column").isTextual() ? spec.path("tenant_column").asText() : null;
        if (tenantColumn != null && o.tenant() == null) {
            throw new IllegalArgumentException("collection '" + o.collection() + "' is multi-tenant (column " + tenantColumn
                    + "): give --tenant");
        }
        if (o.tenant() != null && o.maxRowDifference() != null) {
            throw new IllegalArgumentException("--max-row-difference cannot be checked per tenant: the index counts the rows "
                    + "of all tenants together; drop it or --tenant");
        }
        if (tenantColumn == null && o.tenant() != null) {
            throw new IllegalArgumentException("collection '" + o.collection() + "' has no tenant column: drop --tenant");
        }
        try (Connection admin = DriverManager.getConnection(pg.jdbcUrl(), pg.jdbcProperties())) {
            List<String> metadata = new ArrayList<>();
            spec.path("metadata_columns").forEach(c -> metadata.add(c.asText()));
            PgTarget target = PgTarget.describe(admin, spec.path("table").asText(), spec.path("id_column").asText(),
                    spec.path("vector_column").asText(), spec.path("dimensions").asInt(), tenantColumn, metadata);
            FilterSql tenantScope = FilterSql.of(null, tenantColumn, o.tenant());
            FilterSql where = FilterSql.of(o.filter(), tenantColumn, o.tenant());

            // Freshness first: the LSN and the row count of one moment, then how long the index takes to get there.
            long[] rowsAndLsn = rowsAndLsn(admin, target, tenantScope);
            long pgLsn = rowsAndLsn[1];
            long startWatermark = runtime.watermark(o.collection());
            long catchUp = runtime.awaitWatermark(o.collection(), pgLsn, o.freshnessTimeout());
            long indexRows = runtime.stats(o.collection()).path("count").asLong();

            QueryVectors queries = o.queriesFile() != null ? QueryVectors.fromFile(o.queriesFile(), target.dimensions())
                    : QueryVectors.sample(admin, target, tenantScope, o.queries(), o.seed());
            Optional<PgVectorIndex> index = PgVectorIndex.find(admin, target, metric);
            List<VerifyReport.AnswerReport> answers = measure(o, target, metric, where, queries, index);
            String indexNote = index.map(i -> i.name() + " (" + i.method() + "): " + i.definition())
                    .orElse("none on " + target.vectorColumn() + " for metric " + metric
                            + " (no HNSW or IVFFlat index with " + PgTarget.opsSuffix(metric).substring(1) + ")");

            List<VerifyReport.Check> checks = new ArrayList<>();
            VerifyReport.AnswerReport ours = answers.getFirst();
            checks.add(new VerifyReport.Check("recall", ours.recall() >= o.minRecall(), String.format(Locale.ROOT,
                    "the index's recall@%d %.4f %s --min-recall %.4f", o.k(), ours.recall(),
                    ours.recall() >= o.minRecall() ? ">=" : "<", o.minRecall())));
            if (o.maxP99Ms() != null) {
                boolean fast = ours.latency().p99Ms() <= o.maxP99Ms();
                checks.add(new VerifyReport.Check("latency", fast, String.format(Locale.ROOT,
                        "the index's p99 %.2f ms %s --max-p99-ms %.2f", ours.latency().p99Ms(), fast ? "<=" : ">", o.maxP99Ms())));
            }
            checks.add(new VerifyReport.Check("freshness", catchUp >= 0, catchUp >= 0
                    ? "the index reached PostgreSQL's LSN " + LsnText.format(pgLsn) + " in " + catchUp + " ms"
                    : "the index is behind PostgreSQL: its watermark " + text(runtime.watermark(o.collection()))
                            + " did not reach " + LsnText.format(pgLsn) + " within " + o.freshnessTimeout().toMillis()
                            + " ms; rows written since are missing from its answers (is the capture running? "
                            + "see GET /health/ready and ./ruvector migrate check)"));
            if (o.maxRowDifference() != null) {
                long difference = Math.abs(indexRows - rowsAndLsn[0]);
                checks.add(new VerifyReport.Check("rows", difference <= o.maxRowDifference(), "table " + rowsAndLsn[0]
                        + " rows, index " + indexRows + ": difference " + difference + (difference <= o.maxRowDifference()
                        ? " <= " : " > ") + "--max-row-difference " + o.maxRowDifference()));
            }
            boolean pass = checks.stream().allMatch(VerifyReport.Check::pass);
            return new VerifyReport(o.collection(), target.table(), target.vectorColumn() + " " + target.columnType(), metric,
                    o.k(), queries.vectors().size(), queries.description(), o.tenant(),
                    o.filter() == null ? null : o.filter().toString(), answers, indexNote, rowsAndLsn[0], indexRows,
                    LsnText.format(pgLsn), text(startWatermark), catchUp, checks, pass);
        }
    }

    private List<VerifyReport.AnswerReport> measure(Options o, PgTarget target, String metric, FilterSql where,
                                                    QueryVectors queries, Optional<PgVectorIndex> index)
            throws SQLException, IOException, InterruptedException {
        int n = queries.vectors().size();
        int ask = o.includeSelf() ? o.k() : o.k() + 1;
        long[][] nanos = new long[3][n];
        double[][] recall = new double[3][n];
        try (PgKnn exact = PgKnn.open(pg, target, metric, PgKnn.Mode.EXACT, null);
             PgKnn indexed = index.isPresent() ? PgKnn.open(pg, target, metric, PgKnn.Mode.INDEXED, o.pgIndex()) : null) {
            for (int i = 0; i < Math.min(WARM_UP, n); i++) {
                float[] q = queries.vectors().get(i);
                runtime.search(o.collection(), q, ask, o.tenant(), o.filter(), o.efSearch());
                exact.search(q, ask, where);
                if (indexed != null) {
                    indexed.search(q, ask, where);
                }
            }
            for (int i = 0; i < n; i++) {
                float[] q = queries.vectors().get(i);
                String self = o.includeSelf() ? null : queries.sourceIds().get(i);
                RuntimeClient.Answer ours = runtime.search(o.collection(), q, ask, o.tenant(), o.filter(), o.efSearch());
                nanos[0][i] = ours.nanos();
                long start = System.nanoTime();
                List<Neighbour> truth = trim(exact.search(q, ask, where), self, o.k());
                nanos[1][i] = System.nanoTime() - start;
                recall[0][i] = Recall.atK(truth, trim(ours.hits(), self, o.k()), o.k());
                recall[1][i] = 1.0;
                if (indexed != null) {
                    start = System.nanoTime();
                    List<Neighbour> theirs = indexed.search(q, ask, where);
                    nanos[2][i] = System.nanoTime() - start;
                    recall[2][i] = Recall.atK(truth, trim(theirs, self, o.k()), o.k());
                }
            }
        }
        List<VerifyReport.AnswerReport> answers = new ArrayList<>();
        answers.add(report("ruvector", recall[0], nanos[0], "ef_search " + (o.efSearch() == null ? "default" : o.efSearch())
                + ", over HTTP"));
        answers.add(report("pgvector exact", recall[1], nanos[1], "enable_indexscan off (sequential scan), over JDBC"));
        index.ifPresent(i -> answers.add(report("pgvector " + i.method() + " index", recall[2], nanos[2],
                settings(i.method(), o.pgIndex()) + ", over JDBC")));
        return answers;
    }

    /** The answer without the query's own row, cut to {@code k}. */
    private static List<Neighbour> trim(List<Neighbour> answer, String self, int k) {
        List<Neighbour> out = new ArrayList<>(k);
        for (Neighbour n : answer) {
            if (out.size() < k && (self == null || !self.equals(n.id()))) {
                out.add(n);
            }
        }
        return out;
    }

    private static VerifyReport.AnswerReport report(String name, double[] recall, long[] nanos, String settings) {
        double sum = 0;
        double min = 1;
        for (double r : recall) {
            sum += r;
            min = Math.min(min, r);
        }
        return new VerifyReport.AnswerReport(name, sum / recall.length, min, LatencySummary.of(nanos), settings);
    }

    private static String settings(String method, PgKnn.IndexSettings s) {
        List<String> parts = new ArrayList<>();
        if (method.equals("hnsw")) {
            parts.add("hnsw.ef_search " + (s.efSearch() == null ? "server's" : s.efSearch()));
        } else {
            parts.add("ivfflat.probes " + (s.probes() == null ? "server's" : s.probes()));
        }
        if (s.iterativeScan() != null) {
            parts.add("iterative_scan " + s.iterativeScan());
        }
        return String.join(", ", parts);
    }

    /** The table's rows (in {@code scope}) and PostgreSQL's current WAL LSN, read in one statement. */
    private static long[] rowsAndLsn(Connection admin, PgTarget target, FilterSql scope) throws SQLException {
        try (PreparedStatement s = admin.prepareStatement("SELECT count(*), pg_current_wal_lsn()::text FROM "
                + target.quotedTable() + " WHERE " + scope.sql())) {
            int i = 1;
            for (Object p : scope.params()) {
                s.setObject(i++, p);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), LsnText.parse(rs.getString(2))};
            }
        }
    }

    private static String text(long lsn) {
        return lsn < 0 ? "none" : LsnText.format(lsn);
    }
}
