package io.ruvector.compose.migrate;

import java.util.List;
import java.util.Locale;

/**
 * What {@code ./ruvector migrate check} found between a table and its index.
 *
 * @param caughtUp        whether the index reached PostgreSQL's LSN of the check's start in time
 * @param bucketsDiffering routing buckets whose digests differed at first
 * @param settled         differences that were gone on the re-check (changes in flight, not errors)
 * @param differences     the differences that remained, at most {@link ConsistencyChecker#MAX_LISTED}
 * @param differenceCount how many remained in all
 */
public record CheckReport(String collection, String table, long tableRows, long indexRows, String pgLsn,
                          String watermarkLsn, boolean caughtUp, int buckets, int bucketsDiffering, int settled,
                          List<Difference> differences, int differenceCount) {

    /** The kinds of difference between a table row and the index. */
    public enum Kind {
        /** In the table, not in the index. */
        MISSING_FROM_INDEX,
        /** In the index, not in the table (a delete not applied). */
        NOT_IN_TABLE,
        /** In both, with different vectors (an update not applied). */
        VECTOR_DIFFERS
    }

    /** One id that differs; {@code indexLsn} the LSN of the index's version (-1 when it has none). */
    public record Difference(String id, Kind kind, String indexLsn) {
    }

    public boolean consistent() {
        return differenceCount == 0;
    }

    /** The report for people. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "ruvector migrate check: collection %s (%s)%n", collection, table));
        out.append(String.format(Locale.ROOT, "  rows: table %d, index %d%n", tableRows, indexRows));
        out.append(String.format(Locale.ROOT, "  PostgreSQL at %s; index watermark %s (%s)%n", pgLsn,
                watermarkLsn == null ? "none" : watermarkLsn, caughtUp ? "caught up" : "BEHIND: it did not reach PostgreSQL's LSN"));
        out.append(String.format(Locale.ROOT, "  buckets compared: %d, differing: %d; differences settled on re-check: %d%n",
                buckets, bucketsDiffering, settled));
        for (Difference d : differences) {
            out.append(String.format(Locale.ROOT, "  %-20s id %s%s%n", d.kind().name().toLowerCase(Locale.ROOT), d.id(),
                    d.indexLsn() == null ? "" : " (index version at LSN " + d.indexLsn() + ")"));
        }
        if (differenceCount > differences.size()) {
            out.append(String.format(Locale.ROOT, "  ... and %d more%n", differenceCount - differences.size()));
        }
        out.append(consistent() ? "consistent: every row of the table is in the index with its vector, and no other"
                : differenceCount + " difference(s)" + (caughtUp ? "" : ": the index is behind PostgreSQL (is the capture "
                + "running?); run the check again once it has caught up"));
        out.append(System.lineSeparator());
        return out.toString();
    }
}
