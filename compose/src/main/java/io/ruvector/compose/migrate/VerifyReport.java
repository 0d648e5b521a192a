package io.ruvector.compose.migrate;

import java.util.List;
import java.util.Locale;

/**
 * What {@code ./ruvector migrate verify} found: recall@k and latency of the index, of pgvector's
 * exact answer and of pgvector's own index, row counts, freshness, and the verdict.
 *
 * @param queriesFrom  {@code table sample (seed N)} or the file the queries came from
 * @param answers      the index first, pgvector exact second, pgvector's index third when there is one
 * @param pgIndexNote  why there is no third answer, or the index's definition
 * @param tableRows    rows of the table (of the tenant when one is given)
 * @param indexRows    live rows of the index (all tenants)
 * @param pgLsn        {@code pg_current_wal_lsn()} when the run began
 * @param watermarkLsn the index's lowest partition watermark when the run began
 * @param catchUpMs    how long the index took to reach {@code pgLsn}; -1 when it did not within the timeout
 * @param checks       the verdict's checks, each passed or not with its reason
 */
public record VerifyReport(String collection, String table, String column, String metric, int k, int queries,
                           String queriesFrom, String tenant, String filter, List<AnswerReport> answers, String pgIndexNote,
                           long tableRows, long indexRows, String pgLsn, String watermarkLsn, long catchUpMs,
                           List<Check> checks, boolean pass) {

    /**
     * One answerer's numbers.
     *
     * @param name     {@code ruvector}, {@code pgvector exact} or {@code pgvector <method> index}
     * @param recall   mean recall@k against pgvector's exact answer
     * @param settings the search settings it ran with
     */
    public record AnswerReport(String name, double recall, double minRecall, LatencySummary latency, String settings) {
    }

    /** One check of the verdict. */
    public record Check(String name, boolean pass, String detail) {
    }

    /** The report for people. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "ruvector migrate verify: collection %s (%s.%s, %s), %d queries from %s, k=%d%n",
                collection, table, column, metric, queries, queriesFrom, k));
        if (tenant != null || filter != null) {
            out.append(String.format(Locale.ROOT, "  scope: %s%s%n", tenant == null ? "" : "tenant " + tenant + " ",
                    filter == null ? "" : "filter " + filter));
        }
        out.append(String.format(Locale.ROOT, "  %-26s %10s %10s %9s %9s %9s  %s%n", "answer", "recall@" + k, "min",
                "p50 ms", "p95 ms", "p99 ms", "settings"));
        for (AnswerReport a : answers) {
            out.append(String.format(Locale.ROOT, "  %-26s %10.4f %10.4f %9.2f %9.2f %9.2f  %s%n", a.name(), a.recall(),
                    a.minRecall(), a.latency().p50Ms(), a.latency().p95Ms(), a.latency().p99Ms(), a.settings()));
        }
        out.append("  pgvector index: ").append(pgIndexNote).append(System.lineSeparator());
        if (tenant == null) {
            out.append(String.format(Locale.ROOT, "  rows: table %d, index %d (difference %+d)%n", tableRows, indexRows,
                    indexRows - tableRows));
        } else {
            out.append(String.format(Locale.ROOT, "  rows: table %d of tenant %s; index %d of all tenants%n", tableRows,
                    tenant, indexRows));
        }
        out.append(String.format(Locale.ROOT, "  freshness: PostgreSQL at %s, index watermark %s at the start; %s%n", pgLsn,
                watermarkLsn == null ? "none yet" : watermarkLsn,
                catchUpMs >= 0 ? "the index reached PostgreSQL's LSN in " + catchUpMs + " ms" : "the index did NOT reach it"));
        for (Check c : checks) {
            out.append(String.format(Locale.ROOT, "  [%s] %s: %s%n", c.pass() ? "PASS" : "FAIL", c.name(), c.detail()));
        }
        out.append("verdict: ").append(pass ? "PASS" : "FAIL").append(System.lineSeparator());
        return out.toString();
    }
}
