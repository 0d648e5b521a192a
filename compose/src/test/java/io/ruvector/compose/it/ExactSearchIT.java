package io.ruvector.compose.it;

import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.query.MetadataFilter;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.schemas.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Capture → index → exact kNN equals pgvector: for each metric, 200 random queries return the
 * same ids in the same order as {@code ORDER BY embedding <op> q LIMIT k} with index scans off,
 * distances within 1e-5 relative (ties may swap).
 */
class ExactSearchIT extends SharedRuntime {

    private static final int ROWS = 1500;
    private static final int DIMS = 24;
    private static final int K = 10;

    @org.junit.jupiter.api.Test
    void shouldCoverTheSnapshotOfATableRegisteredWhileRunningWhenWaitingForALsn() throws Exception {
        String table = "snapwm_" + TestPostgres.unique();
        String name = "w" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(3))",
                "INSERT INTO " + table + " SELECT g, ARRAY[g, 1, 2]::vector FROM generate_series(1, 3000) g");
        // make sure the capture already streams (the new table then gets a blocking snapshot)
        String other = "snapwo_" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + other + " (id int PRIMARY KEY, embedding vector(3))");
        fixture.register("o" + TestPostgres.unique(), other, "embedding", Metric.L2, List.of(), null, 0);
        fixture.register(name, table, "embedding", Metric.L2, List.of(), null, 0);
        long lsn = ((Number) TestPostgres.query("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn").getFirst().getFirst()).longValue();
        fixture.runtime.index().awaitWatermark(lsn, Duration.ofSeconds(120));
        assertThat(fixture.runtime.index().search(KnnRequest.of(name, new float[] {1, 1, 2}, 5000, Metric.L2)).hits())
                .as("every existing row is searchable once the watermark passed a LSN taken after registration")
                .hasSize(3000);
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void shouldReturnPgvectorsExactAnswerWhenSearchingExactly(Metric metric) throws Exception {
        long seed = System.nanoTime();
        System.out.println(metric + " seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        String table = "exact_" + TestPostgres.unique();
        String name = "e" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(" + DIMS + "))");
        // Rows written after registration are streamed, so the watermark covers them (rows that
        // arrive through the snapshot of a newly registered table are not covered by min_lsn yet).
        fixture.register(name, table, "embedding", metric, List.of(), null, 0);
        try (Connection c = TestPostgres.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?::vector)")) {
            for (int i = 1; i <= ROWS; i++) {
                insert.setInt(1, i);
                insert.setString(2, Floats.text(Floats.random(random, DIMS)));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        long lsn = ((Number) TestPostgres.query("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn").getFirst().getFirst()).longValue();
        fixture.runtime.index().awaitWatermark(lsn, Duration.ofSeconds(120));
        assertThat(fixture.runtime.index().search(KnnRequest.of(name, Floats.random(random, DIMS), ROWS + 5, metric)).hits())
                .as("every row indexed").hasSize(ROWS);

        String op = switch (metric) {
            case L2 -> "<->";
            case COSINE -> "<=>";
            case IP -> "<#>";
            case L1 -> "<+>";
        };
        try (Connection c = TestPostgres.connect(); Statement st = c.createStatement()) {
            st.execute("SET enable_indexscan = off");
            PreparedStatement exact = c.prepareStatement("SELECT id::text, embedding " + op + " ?::vector FROM " + table
                    + " ORDER BY embedding " + op + " ?::vector LIMIT " + K);
            for (int q = 0; q < 200; q++) {
                float[] query = Floats.random(random, DIMS);
                String text = Floats.text(query);
                exact.setString(1, text);
                exact.setString(2, text);
                List<String> ids = new ArrayList<>();
                List<Double> distances = new ArrayList<>();
                try (ResultSet rs = exact.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                        distances.add(rs.getDouble(2));
                    }
                }
                KnnResult result = fixture.runtime.index().search(KnnRequest.builder(name, query).k(K).metric(metric)
                        .exact(true).build());
                assertThat(result.exact()).isTrue();
                List<KnnHit> hits = result.hits();
                assertThat(hits).hasSize(K);
                for (int i = 0; i < K; i++) {
                    double expected = distances.get(i);
                    assertThat(hits.get(i).distance()).as("distance %d of query %d", i, q)
                            .isCloseTo(expected, within(Math.max(1e-5 * Math.abs(expected), 1e-6)));
                    if (!hits.get(i).id().equals(ids.get(i))) {
                        // a swap is allowed only between equal distances
                        assertThat(hits.get(i).distance()).isCloseTo(expected, within(1e-6 * Math.max(1, Math.abs(expected))));
                        if (!ids.contains(hits.get(i).id())) { // a row tied with pgvector's k-th that it did not list
                            double kth = distances.get(K - 1);
                            assertThat(hits.get(i).distance()).as("query %d rank %d: %s is not in pgvector's top %d and "
                                    + "not tied with its k-th", q, i, hits.get(i).id(), K)
                                    .isCloseTo(kth, within(1e-6 * Math.max(1, Math.abs(kth))));
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldMatchPgvectorsWhereClauseForInRangeAndEqualityFilters() throws Exception {
        long seed = System.nanoTime();
        System.out.println("filter seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        String table = "filt_" + TestPostgres.unique();
        String name = "f" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(" + DIMS
                + "), cat text, price double precision, stock int, tenant text NOT NULL)");
        fixture.register(name, table, "embedding", Metric.L2, List.of("cat", "price", "stock"), "tenant", 0);
        String[] cats = {"a", "b", "c", "d", "e"};
        try (Connection c = TestPostgres.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?::vector, ?, ?, ?, ?)")) {
            for (int i = 1; i <= ROWS; i++) {
                insert.setInt(1, i);
                insert.setString(2, Floats.text(Floats.random(random, DIMS)));
                insert.setString(3, cats[random.nextInt(cats.length)]);
                insert.setDouble(4, Math.round(random.nextDouble() * 10_000) / 100.0);
                insert.setInt(5, random.nextInt(100));
                insert.setString(6, random.nextBoolean() ? "t1" : "t2");
                insert.addBatch();
            }
            insert.executeBatch();
        }
        long lsn = ((Number) TestPostgres.query("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn").getFirst().getFirst()).longValue();
        fixture.runtime.index().awaitWatermark(lsn, Duration.ofSeconds(120));
        try (Connection c = TestPostgres.connect()) {
            for (int q = 0; q < 60; q++) {
                float[] query = Floats.random(random, DIMS);
                String tenant = random.nextBoolean() ? "t1" : "t2";
                List<String> in = List.of(cats[random.nextInt(5)], cats[random.nextInt(5)]);
                double low = random.nextDouble() * 60;
                double high = low + random.nextDouble() * 40;
                int stock = random.nextInt(100);
                MetadataFilter filter = switch (q % 3) {
                    case 0 -> MetadataFilter.in("cat", in);
                    case 1 -> MetadataFilter.and(MetadataFilter.range("price", null, low, high, null), MetadataFilter.in("cat", in));
                    default -> MetadataFilter.and(MetadataFilter.range("stock", stock, null, null, null), MetadataFilter.eq("cat", in.get(0)));
                };
                String where = switch (q % 3) {
                    case 0 -> "cat IN (?, ?)";
                    case 1 -> "price >= ? AND price < ? AND cat IN (?, ?)";
                    default -> "stock > ? AND cat = ?";
                };
                PreparedStatement st = c.prepareStatement("SELECT id::text FROM " + table + " WHERE tenant = ? AND " + where
                        + " ORDER BY embedding <-> ?::vector, id LIMIT " + K);
                int i = 1;
                st.setString(i++, tenant);
                switch (q % 3) {
                    case 0 -> {
                        st.setString(i++, in.get(0));
                        st.setString(i++, in.get(1));
                    }
                    case 1 -> {
                        st.setDouble(i++, low);
                        st.setDouble(i++, high);
                        st.setString(i++, in.get(0));
                        st.setString(i++, in.get(1));
                    }
                    default -> {
                        st.setInt(i++, stock);
                        st.setString(i++, in.get(0));
                    }
                }
                st.setString(i, Floats.text(query));
                List<String> expected = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        expected.add(rs.getString(1));
                    }
                }
                for (boolean exact : new boolean[] {true, false}) {
                    KnnResult result = fixture.runtime.index().search(KnnRequest.builder(name, query).k(K).tenant(tenant)
                            .filter(filter).exact(exact).build());
                    assertThat(result.ids()).as("query %d (%s, exact %s)", q, filter, exact).isEqualTo(expected);
                }
            }
        }
    }
}
