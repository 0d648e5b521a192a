package io.ruvector.compose.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.pgvector.PgTarget;
import io.ruvector.index.query.BucketDigests;
import io.ruvector.index.query.RowDigest;
import io.ruvector.schemas.LsnText;
import io.ruvector.schemas.route.Buckets;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * {@code ./ruvector migrate check}: compares every row of a table (id and vector) with the index.
 * Both sides sum a fingerprint per row ({@link RowDigest}) into the {@value Buckets#COUNT} routing
 * buckets; only the buckets whose sums differ are listed row by row. Tables change while they are
 * read, so each difference found is looked at once more after the index has caught up with a
 * newer LSN: what is gone then was a change in flight, what remains is reported.
 */
public final class ConsistencyChecker {

    /** Differences listed in a report (all are counted). */
    public static final int MAX_LISTED = 100;
    private static final int FETCH = 2_000;
    /** Buckets compared row by row per table scan and index request. */
    private static final int CHUNK = 256;

    private final PgConnectionSettings pg;
    private final RuntimeClient runtime;

    public ConsistencyChecker(PgConnectionSettings pg, RuntimeClient runtime) {
        this.pg = Objects.requireNonNull(pg, "pg");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** Checks {@code collection}; {@code timeout} bounds each wait for the index to reach PostgreSQL's LSN. */
    public CheckReport check(String collection, Duration timeout) throws IOException, InterruptedException, SQLException {
        JsonNode spec = runtime.collection(collection);
        try (Connection admin = DriverManager.getConnection(pg.jdbcUrl(), pg.jdbcProperties())) {
            PgTarget target = PgTarget.describe(admin, spec.path("table").asText(), spec.path("id_column").asText(),
                    spec.path("vector_column").asText(), spec.path("dimensions").asInt(), null, List.of());
            long pgLsn = currentLsn(admin);
            boolean caughtUp = runtime.awaitWatermark(collection, pgLsn, timeout) >= 0;

            JsonNode digests = runtime.digests(collection);
            BucketDigests index = new BucketDigests(ints(digests.path("bucket_rows")), longs(digests.path("bucket_sums")));
            BucketDigests table = BucketDigests.empty();
            scan(admin, target, null, table::add);
            Set<Integer> differing = new TreeSet<>();
            for (int b = 0; b < Buckets.COUNT; b++) {
                if (!table.sameBucket(index, b)) {
                    differing.add(b);
                }
            }
            Map<String, CheckReport.Difference> found = differing.isEmpty() ? Map.of()
                    : compare(admin, target, collection, differing);
            Map<String, CheckReport.Difference> remaining = found;
            if (!found.isEmpty() && caughtUp
                    && runtime.awaitWatermark(collection, currentLsn(admin), timeout) >= 0) {
                Set<Integer> buckets = new TreeSet<>(); // look again once the index has what PostgreSQL has now
                found.keySet().forEach(id -> buckets.add(Buckets.of(id)));
                Map<String, CheckReport.Difference> again = compare(admin, target, collection, buckets);
                remaining = new TreeMap<>(again);
                remaining.keySet().retainAll(found.keySet());
            }
            Map<String, CheckReport.Difference> left = remaining;
            int settled = (int) found.keySet().stream().filter(id -> !left.containsKey(id)).count();
            JsonNode stats = runtime.stats(collection);
            List<CheckReport.Difference> listed = remaining.values().stream().limit(MAX_LISTED).toList();
            return new CheckReport(collection, target.table(), table.totalRows(), stats.path("count").asLong(),
                    LsnText.format(pgLsn), stats.path("watermark_lsn").textValue(), caughtUp, Buckets.COUNT,
                    differing.size(), settled, listed, remaining.size());
        }
    }

    /**
     * The differences between the table's and the index's rows of {@code buckets}, by id; a chunk
     * of {@link #CHUNK} buckets at a time, so that an index far from its table (every bucket
     * differing) is listed in sixteenths instead of all at once on both sides.
     */
    private Map<String, CheckReport.Difference> compare(Connection admin, PgTarget target, String collection,
                                                       Set<Integer> buckets) throws IOException, InterruptedException, SQLException {
        Map<String, CheckReport.Difference> out = new TreeMap<>();
        List<Integer> all = new ArrayList<>(buckets);
        for (int from = 0; from < all.size(); from += CHUNK) {
            out.putAll(compareChunk(admin, target, collection, new TreeSet<>(all.subList(from, Math.min(all.size(),
                    from + CHUNK)))));
        }
        return out;
    }

    private Map<String, CheckReport.Difference> compareChunk(Connection admin, PgTarget target, String collection,
                                                            Set<Integer> buckets)
            throws IOException, InterruptedException, SQLException {
        Map<String, Long> tableRows = new HashMap<>();
        scan(admin, target, buckets, (id, vector) -> tableRows.put(id, RowDigest.of(id, vector)));
        Map<String, JsonNode> indexRows = new HashMap<>();
        for (JsonNode row : runtime.rows(collection, buckets).path("rows")) {
            indexRows.put(row.path("id").asText(), row);
        }
        Map<String, CheckReport.Difference> out = new TreeMap<>();
        for (Map.Entry<String, Long> row : tableRows.entrySet()) {
            JsonNode held = indexRows.get(row.getKey());
            if (held == null || held.path("deleted").asBoolean()) {
                out.put(row.getKey(), new CheckReport.Difference(row.getKey(), CheckReport.Kind.MISSING_FROM_INDEX,
                        held == null ? null : LsnText.format(held.path("lsn").asLong())));
            } else if (held.path("digest").asLong() != row.getValue()) {
                out.put(row.getKey(), new CheckReport.Difference(row.getKey(), CheckReport.Kind.VECTOR_DIFFERS,
                        LsnText.format(held.path("lsn").asLong())));
            }
        }
        for (Map.Entry<String, JsonNode> held : indexRows.entrySet()) {
            if (!held.getValue().path("deleted").asBoolean() && !tableRows.containsKey(held.getKey())) {
                out.put(held.getKey(), new CheckReport.Difference(held.getKey(), CheckReport.Kind.NOT_IN_TABLE,
                        LsnText.format(held.getValue().path("lsn").asLong())));
            }
        }
        return out;
    }

    /** Streams the table's rows (of {@code buckets}, all when null) to {@code rows} as id and float vector. */
    private static void scan(Connection admin, PgTarget target, Set<Integer> buckets, BiConsumer<String, float[]> rows)
            throws SQLException {
        boolean autoCommit = admin.getAutoCommit();
        admin.setAutoCommit(false); // a cursor: the JDBC driver fetches FETCH rows at a time only inside a transaction
        try (PreparedStatement s = admin.prepareStatement("SELECT " + PgTarget.quote(target.idColumn()) + "::text, "
                + target.floatsExpression() + " FROM " + target.quotedTable() + " WHERE " + target.vectorExpression()
                + " IS NOT NULL")) {
            s.setFetchSize(FETCH);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (buckets == null || buckets.contains(Buckets.of(id))) {
                        rows.accept(id, QueryVectors.floats(rs.getArray(2)));
                    }
                }
            }
        } finally {
            admin.commit();
            admin.setAutoCommit(autoCommit);
        }
    }

    private static long currentLsn(Connection admin) throws SQLException {
        try (PreparedStatement s = admin.prepareStatement("SELECT pg_current_wal_lsn()::text");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return LsnText.parse(rs.getString(1));
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
