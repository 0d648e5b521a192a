package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.compose.http.HttpApiServer;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.Metric;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A bucket hand-off under load: while a writer inserts, updates vectors and metadata, and
 * deletes, the capture's {@code rebalance_partitions} executor moves half of partition 0's buckets
 * to partition 1 and the rollback moves them back. Checkers search (exact and graph) and look ids
 * up all the time and record every violation of the contract: an id twice in one answer, a version
 * older than one already seen (per id, across all reads), a version older than the one committed
 * at {@code min_lsn}, a deleted id at or after its delete's {@code min_lsn}, a row that was never
 * touched missing from an exact search for its own vector. Afterwards the index equals the table
 * (ids and exact vectors), no partition holds a row twice, and exact answers equal pgvector's.
 */
class HandOffIT extends SharedRuntime {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DIMS = 4;
    /** 2,500 rows per partition: above the 2,000 at which a partition searches a graph. */
    private static final int ROWS = 20_000;

    /** One committed write: the version it set (or -1 for a delete) and the WAL position after it. */
    record Write(int version, long lsn) {
    }

    @Test
    void shouldKeepTheContractAtEveryMomentWhileBucketsMoveAndMoveBack() throws Exception {
        long seed = System.nanoTime();
        System.out.println("HandOffIT seed " + seed);
        String table = "ho_" + TestPostgres.unique();
        String name = "ho" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(" + DIMS
                        + ") NOT NULL, version int NOT NULL)",
                "ALTER TABLE " + table + " REPLICA IDENTITY FULL",
                "INSERT INTO " + table + " SELECT g, (SELECT array_agg(random()::real) FROM generate_series(1, " + DIMS
                        + ") d WHERE g > 0)::vector, 0 FROM generate_series(1, " + ROWS + ") g");
        fixture.register(name, "public." + table, "embedding", Metric.L2, List.of("version"), null, DIMS);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (liveRows(name) < ROWS) {
            assertThat(System.nanoTime()).as("%d rows indexed within 3 minutes", ROWS).isLessThan(deadline);
            Thread.sleep(200);
        }
        Map<Long, float[]> stable = new HashMap<>(); // every 20th row: never written, must always be found
        for (List<Object> row : TestPostgres.query("SELECT id, embedding::text FROM " + table + " WHERE id % 20 = 0")) {
            stable.put(((Number) row.get(0)).longValue(), Floats.parse(String.valueOf(row.get(1))));
        }

        HttpApiServer server = HttpApiServer.start(fixture.runtime, 0);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + server.port() + "/v1/collections/" + name;
        Map<Long, ConcurrentSkipListMap<Long, Write>> history = new ConcurrentHashMap<>(); // id → lsn → write
        Map<Long, Integer> maxSeen = new ConcurrentHashMap<>();
        AtomicLong committed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong reads = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        String bootstrap = fixture.runtime.bootstrapServers();
        List<Thread> threads = new ArrayList<>();
        try {
            threads.add(Thread.ofPlatform().name("ho-writer").start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                long nextId = ROWS + 1;
                int version = 0;
                try (Connection c = TestPostgres.connect();
                     PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?::vector, ?)");
                     PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET embedding = ?::vector, version = ? WHERE id = ?");
                     PreparedStatement meta = c.prepareStatement("UPDATE " + table + " SET version = ? WHERE id = ?");
                     PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?");
                     Statement lsn = c.createStatement()) {
                    while (running.get()) {
                        int op = random.nextInt(4);
                        long id = op == 0 ? nextId++ : 1 + random.nextLong(nextId - 1);
                        if (op != 0 && (id % 20 == 0 || deleted(history, id))) {
                            continue;
                        }
                        version++;
                        int changed = switch (op) {
                            case 0 -> {
                                insert.setLong(1, id);
                                insert.setString(2, Floats.text(Floats.random(random, DIMS)));
                                insert.setInt(3, version);
                                yield insert.executeUpdate();
                            }
                            case 1 -> {
                                update.setString(1, Floats.text(Floats.random(random, DIMS)));
                                update.setInt(2, version);
                                update.setLong(3, id);
                                yield update.executeUpdate();
                            }
                            case 2 -> {
                                meta.setInt(1, version);
                                meta.setLong(2, id);
                                yield meta.executeUpdate();
                            }
                            default -> {
                                delete.setLong(1, id);
                                yield delete.executeUpdate();
                            }
                        };
                        if (changed == 0) {
                            continue;
                        }
                        try (ResultSet at = lsn.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
                            at.next();
                            long after = at.getLong(1);
                            history.computeIfAbsent(id, k -> new ConcurrentSkipListMap<>())
                                    .put(after, new Write(op == 3 ? -1 : version, after));
                            committed.set(after);
                        }
                        writes.incrementAndGet();
                    }
                } catch (Exception e) {
                    violations.add("writer failed: " + e);
                }
            }));
            for (int s = 0; s < 2; s++) {
                SplittableRandom random = new SplittableRandom(seed + 1 + s);
                List<Long> stableIds = new ArrayList<>(stable.keySet());
                threads.add(Thread.ofPlatform().name("ho-checker-" + s).start(() -> {
                    while (running.get()) {
                        try {
                            check(client, base, random, stableIds, stable, history, maxSeen, committed.get(), violations);
                            reads.incrementAndGet();
                        } catch (Exception e) {
                            violations.add("read failed: " + e);
                        }
                    }
                }));
            }
            Thread.sleep(4_000);
            String apply = HandOffCommands.move(bootstrap, name, 0, 1, 0.5);
            assertThat(HandOffCommands.awaitAck(bootstrap, apply)).as("ack of the move").isEqualTo(AckStatus.APPLIED);
            Thread.sleep(6_000);
            String rollback = HandOffCommands.rollback(bootstrap, name, apply);
            assertThat(HandOffCommands.awaitAck(bootstrap, rollback)).as("ack of the move back").isEqualTo(AckStatus.ROLLED_BACK);
            Thread.sleep(6_000);
        } finally {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
            server.close();
            client.close();
        }
        System.out.printf("HandOffIT: %d writes, %d reads, %d violations%n", writes.get(), reads.get(), violations.size());
        assertThat(violations).as("violations during the hand-offs").isEmpty();
        assertThat(writes.get()).as("writes committed").isGreaterThan(200);
        assertThat(reads.get()).as("reads answered").isGreaterThan(200);

        // Settled: every copy applied and forgotten where it came from, index == table.
        Map<String, String> expected = TableState.table(table);
        long settle = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (liveRows(name) != expected.size()) {
            assertThat(System.nanoTime()).as("index settles at %d rows (has %d)", expected.size(), liveRows(name))
                    .isLessThan(settle);
            Thread.sleep(200);
        }
        fixture.runtime.index().awaitWatermark(committed.get(), Duration.ofSeconds(30));
        assertThat(IndexRows.of(fixture.runtime, name, expected.keySet())).as("index == table").isEqualTo(expected);
        for (int q = 0; q < 5; q++) {
            float[] query = Floats.random(new SplittableRandom(seed + 100 + q), DIMS);
            List<String> pg = TestPostgres.query("SELECT id FROM " + table + " ORDER BY embedding <-> '" + Floats.text(query)
                    + "' LIMIT 10").stream().map(r -> String.valueOf(r.get(0))).toList();
            List<String> ours = fixture.runtime.index().search(io.ruvector.index.query.KnnRequest.builder(name, query)
                    .k(10).exact(true).build()).ids();
            assertThat(ours).as("exact answer %d equals pgvector's", q).isEqualTo(pg);
        }
    }

    /** One read: a search (exact or graph, near a stable row or at random) or a lookup, checked. */
    private static void check(HttpClient client, String base, SplittableRandom random, List<Long> stableIds,
                              Map<Long, float[]> stable, Map<Long, ConcurrentSkipListMap<Long, Write>> history,
                              Map<Long, Integer> maxSeen, long minLsn, List<String> violations) throws Exception {
        if (random.nextInt(4) == 0) {
            long id = stableIds.get(random.nextInt(stableIds.size()));
            List<Long> touched = new ArrayList<>(history.keySet());
            if (!touched.isEmpty() && random.nextBoolean()) {
                id = touched.get(random.nextInt(touched.size()));
            }
            HttpResponse<String> got = client.send(HttpRequest.newBuilder(URI.create(base + "/vectors/" + id)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (got.statusCode() == 200) {
                seen(id, JSON.readTree(got.body()).path("metadata").path("version").asInt(), maxSeen, violations, "lookup");
            } else if (got.statusCode() == 404) {
                if (stable.containsKey(id)) {
                    violations.add("lookup lost untouched row " + id);
                }
            } else {
                violations.add("lookup answered " + got.statusCode() + ": " + got.body());
            }
            return;
        }
        boolean exact = random.nextBoolean();
        long probe = stableIds.get(random.nextInt(stableIds.size()));
        float[] query = random.nextBoolean() ? stable.get(probe) : Floats.random(random, DIMS);
        String body = "{\"vector\": " + Floats.text(query) + ", \"k\": 10, \"exact\": " + exact
                + (minLsn > 0 ? ", \"min_lsn\": \"" + io.ruvector.schemas.LsnText.format(minLsn) + "\", \"timeout_ms\": 30000" : "")
                + "}";
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/search"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            violations.add("search answered " + response.statusCode() + ": " + response.body());
            return;
        }
        JsonNode results = JSON.readTree(response.body()).get("results");
        Set<Long> ids = new HashSet<>();
        for (JsonNode hit : results) {
            long id = hit.get("id").asLong();
            if (!ids.add(id)) {
                violations.add("id " + id + " twice in one answer");
            }
            int version = hit.path("metadata").path("version").asInt();
            seen(id, version, maxSeen, violations, "search");
            ConcurrentSkipListMap<Long, Write> writes = history.get(id);
            Map.Entry<Long, Write> due = writes == null ? null : writes.floorEntry(minLsn);
            if (due != null && due.getValue().version() < 0) {
                violations.add("id " + id + " deleted at " + due.getKey() + " returned with min_lsn " + minLsn);
            } else if (due != null && version < due.getValue().version()) {
                violations.add("id " + id + " version " + version + " returned with min_lsn " + minLsn + ", version "
                        + due.getValue().version() + " was committed by then");
            }
        }
        if (exact && query == stable.get(probe) && (results.isEmpty() || results.get(0).get("id").asLong() != probe)) {
            violations.add("exact search for untouched row " + probe + " did not return it first: " + results);
        }
        if (results.size() != 10) {
            violations.add("answer with " + results.size() + " hits, wanted 10");
        }
    }

    /** Per id, reads never go back to an older version than one already returned. */
    private static void seen(long id, int version, Map<Long, Integer> maxSeen, List<String> violations, String how) {
        Integer before = maxSeen.merge(id, version, Math::max);
        if (before != null && before > version) {
            violations.add(how + " returned version " + version + " of id " + id + " after version " + before + " was seen");
        }
    }

    private static boolean deleted(Map<Long, ConcurrentSkipListMap<Long, Write>> history, long id) {
        ConcurrentSkipListMap<Long, Write> writes = history.get(id);
        return writes != null && writes.lastEntry().getValue().version() < 0;
    }

    private static long liveRows(String name) {
        return fixture.runtime.index().stats(name).values().stream().mapToLong(CollectionStats::liveRows).sum();
    }
}
