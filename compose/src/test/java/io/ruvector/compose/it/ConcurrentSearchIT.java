package io.ruvector.compose.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ruvector.compose.http.HttpApiServer;
import org.junit.jupiter.api.Test;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Searches while rows are inserted, updated and deleted: with {@code min_lsn} at or past a
 * delete's commit, no answer contains the deleted id (no resurrected delete, also while graph
 * cleanup unlinks deleted nodes), no answer contains an id twice, and no search fails. The
 * collection is large enough that every partition searches a graph, and the queries are the
 * vectors of just-deleted rows, so a stale node would rank first.
 */
class ConcurrentSearchIT extends SharedRuntime {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DIMS = 8;
    /** Rows per partition: above the 2,000 at which a partition builds its graph. */
    private static final int ROWS_PER_PARTITION = 3_000;
    private static final Duration LOAD = Duration.ofSeconds(20);

    /** A delete the writer committed: the id, its vector and the WAL position after the commit. */
    record Delete(long id, float[] vector, long lsn) {
    }

    @Test
    void shouldNeverReturnADeletedIdAfterItsDeleteNorFailWhileRowsChange() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ConcurrentSearchIT seed " + seed);
        String table = "cs_" + TestPostgres.unique();
        String name = "cs" + TestPostgres.unique();
        int rows = ROWS_PER_PARTITION * fixture.runtime.vectorPartitions();
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(" + DIMS + ") NOT NULL)",
                "INSERT INTO " + table + " SELECT g, (SELECT array_agg(random()::real) FROM generate_series(1, " + DIMS
                        + ") d WHERE g > 0)::vector FROM generate_series(1, " + rows + ") g");
        fixture.register(name, "public." + table, "embedding", io.ruvector.schemas.Metric.L2, List.of(), null, DIMS);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos(); // the snapshot: wait for the count
        while (fixture.runtime.index().stats(name).values().stream().mapToLong(s -> s.liveRows()).sum() < rows) {
            assertThat(System.nanoTime()).as("%d rows indexed within 3 minutes", rows).isLessThan(deadline);
            Thread.sleep(200);
        }

        HttpApiServer server = HttpApiServer.start(fixture.runtime, 0);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI search = URI.create("http://127.0.0.1:" + server.port() + "/v1/collections/" + name + "/search");
        Map<Long, Long> deletedAt = new ConcurrentHashMap<>();
        List<Delete> deletes = new CopyOnWriteArrayList<>();
        AtomicLong lastDeleteLsn = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong searches = new AtomicLong();
        AtomicLong graphAnswers = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        try {
            Thread writer = Thread.ofPlatform().name("cs-writer").start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                long nextId = rows + 1;
                try (Connection c = TestPostgres.connect();
                     PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?::vector)");
                     PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET embedding = ?::vector WHERE id = ?");
                     PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE id = ? RETURNING embedding::text");
                     Statement lsn = c.createStatement()) {
                    while (running.get()) {
                        int op = random.nextInt(3);
                        if (op == 0) {
                            insert.setLong(1, nextId++);
                            insert.setString(2, Floats.text(Floats.random(random, DIMS)));
                            insert.executeUpdate();
                        } else {
                            long id = 1 + random.nextLong(nextId - 1);
                            if (deletedAt.containsKey(id)) {
                                continue;
                            }
                            if (op == 1) {
                                update.setString(1, Floats.text(Floats.random(random, DIMS)));
                                update.setLong(2, id);
                                update.executeUpdate();
                            } else {
                                delete.setLong(1, id);
                                try (ResultSet rs = delete.executeQuery()) {
                                    if (!rs.next()) {
                                        continue;
                                    }
                                    float[] vector = parse(rs.getString(1));
                                    try (ResultSet at = lsn.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
                                        at.next();
                                        deletedAt.put(id, at.getLong(1));
                                        deletes.add(new Delete(id, vector, at.getLong(1)));
                                        lastDeleteLsn.set(at.getLong(1));
                                    }
                                }
                            }
                        }
                        writes.incrementAndGet();
                    }
                } catch (Exception e) {
                    violations.add("writer failed: " + e);
                }
            });
            List<Thread> searchers = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                SplittableRandom random = new SplittableRandom(seed + 1 + s);
                searchers.add(Thread.ofPlatform().name("cs-searcher-" + s).start(() -> {
                    while (running.get()) {
                        try {
                            long minLsn = lastDeleteLsn.get();
                            float[] query = deletes.isEmpty() || random.nextInt(4) == 0 ? Floats.random(random, DIMS)
                                    : deletes.get(deletes.size() - 1 - random.nextInt(Math.min(50, deletes.size()))).vector();
                            String body = "{\"vector\": " + Floats.text(query) + ", \"k\": 20"
                                    + (minLsn > 0 ? ", \"min_lsn\": \"" + lsnText(minLsn) + "\", \"timeout_ms\": 30000" : "") + "}";
                            HttpResponse<String> response = client.send(HttpRequest.newBuilder(search)
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200) {
                                violations.add("search answered " + response.statusCode() + ": " + response.body());
                                continue;
                            }
                            JsonNode json = JSON.readTree(response.body());
                            Set<String> seen = new HashSet<>();
                            for (JsonNode hit : json.get("results")) {
                                String id = hit.get("id").asText();
                                if (!seen.add(id)) {
                                    violations.add("id " + id + " twice in one answer");
                                }
                                Long deleted = deletedAt.get(Long.parseLong(id));
                                if (deleted != null && deleted <= minLsn) {
                                    violations.add("id " + id + " deleted at " + lsnText(deleted) + " returned with min_lsn "
                                            + lsnText(minLsn));
                                }
                            }
                            if (seen.size() != 20) {
                                violations.add("answer with " + seen.size() + " hits, wanted 20");
                            }
                            if (!json.get("exact").asBoolean()) {
                                graphAnswers.incrementAndGet();
                            }
                            searches.incrementAndGet();
                        } catch (Exception e) {
                            violations.add("search failed: " + e);
                        }
                    }
                }));
            }
            Thread.sleep(LOAD.toMillis());
            running.set(false);
            writer.join();
            for (Thread t : searchers) {
                t.join();
            }
        } finally {
            running.set(false);
            server.close();
            client.close();
        }
        System.out.printf("ConcurrentSearchIT: %d writes (%d deletes), %d searches (%d answered from graphs)%n", writes.get(),
                deletes.size(), searches.get(), graphAnswers.get());
        assertThat(violations).as("violations").isEmpty();
        assertThat(deletes.size()).as("deletes committed").isGreaterThan(100);
        assertThat(searches.get()).as("searches answered").isGreaterThan(100);
        assertThat(graphAnswers.get()).as("answers from graph searches").isGreaterThan(searches.get() / 2);
    }

    private static String lsnText(long lsn) {
        return io.ruvector.schemas.LsnText.format(lsn);
    }

    private static float[] parse(String text) {
        String[] parts = text.substring(1, text.length() - 1).split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.parseFloat(parts[i]);
        }
        return v;
    }
}
