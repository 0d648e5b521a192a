package io.ruvector.compose.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** The runtime's HTTP API as the healing tests use it: JSON in, JSON out, awaiting conditions without fixed sleeps. */
final class HealingClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;

    HealingClient(int port) {
        this.port = port;
    }

    /** The API's base URL, for a CLI command's {@code --http}. */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    JsonNode get(String path) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(uri(path)).GET()).body());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** The ids a search of {@code collection} with {@code body} returns. */
    java.util.Set<String> searchIds(String collection, String body) throws Exception {
        JsonNode r = JSON.readTree(searchAnswered(collection, body).body());
        java.util.Set<String> out = new java.util.HashSet<>();
        r.path("results").forEach(h -> out.add(h.path("id").asText()));
        return out;
    }

    /**
     * A search answered with 200. A 429 (searches throttled in a critical integrity state) or a
     * 503 (a part starting or moving) is retried after its {@code Retry-After}, as a client
     * should, for up to 30 s; any other status fails: an error is never counted as "no hits".
     */
    HttpResponse<String> searchAnswered(String collection, String body) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> r = post("/v1/collections/" + collection + "/search", body);
            boolean retry = r.statusCode() == 429 || r.statusCode() == 503;
            if (r.statusCode() == 200 || !retry || System.nanoTime() > deadline) {
                if (r.statusCode() != 200) {
                    throw new AssertionError("search of " + collection + " answered " + r.statusCode() + ": " + r.body());
                }
                return r;
            }
            System.out.println("HealingClient: search answered " + r.statusCode() + ", retrying: " + r.body());
            long seconds = r.headers().firstValueAsLong("Retry-After").orElse(1);
            Thread.sleep(Math.max(1, seconds) * 1_000);
        }
    }

    /** recall@10 of the default (graph) search of {@code collection} against its exact answer, over {@code queries}. */
    double recall(String collection, float[][] queries) throws Exception {
        int hits = 0;
        for (float[] q : queries) {
            java.util.Set<String> exact = searchIds(collection, "{\"vector\": " + java.util.Arrays.toString(q)
                    + ", \"k\": 10, \"exact\": true}");
            java.util.Set<String> graph = searchIds(collection, "{\"vector\": " + java.util.Arrays.toString(q) + ", \"k\": 10}");
            graph.retainAll(exact);
            hits += graph.size();
        }
        return hits / (10.0 * queries.length);
    }

    /** Polls {@code path} until {@code done} holds; fails naming {@code what} and the last answer. */
    JsonNode await(String path, Predicate<JsonNode> done, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).GET());
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body());
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(what + " did not happen within " + timeout + "; last answer of " + path + ": " + last);
    }

    /** Waits for the outcome of remediation {@code id} on {@code collection}. */
    JsonNode awaitOutcomeOf(String collection, String id, Duration timeout) throws Exception {
        JsonNode history = await("/v1/collections/" + collection + "/healing/history?limit=50",
                h -> h.path("outcomes").findValues("id").stream().anyMatch(v -> v.asText().equals(id)),
                "the outcome of " + id + " on " + collection, timeout);
        for (JsonNode o : history.path("outcomes")) {
            if (o.path("id").asText().equals(id)) {
                return o;
            }
        }
        throw new AssertionError("unreachable: " + history);
    }

    /**
     * The first outcome of {@code strategy} in the collection's history, once there is one. A timeout
     * names the engine's last decision and the integrity state too: an empty history alone does not
     * say whether nothing was detected or the engine refused (a CI run failed so, undiagnosed).
     */
    JsonNode awaitOutcome(String collection, String strategy, Duration timeout) throws Exception {
        JsonNode history;
        try {
            history = await("/v1/collections/" + collection + "/healing/history?limit=50", h -> {
                for (JsonNode o : h.path("outcomes")) {
                    if (o.path("strategy").asText().equals(strategy) && !o.path("dry_run").asBoolean()) {
                        return true;
                    }
                }
                return false;
            }, "an outcome of " + strategy + " on " + collection, timeout);
        } catch (AssertionError missing) {
            throw new AssertionError(missing.getMessage() + "; healing: " + answer("/v1/collections/" + collection
                    + "/healing") + "; integrity: " + answer("/v1/collections/" + collection + "/integrity"), missing);
        }
        JsonNode found = null;
        for (JsonNode o : history.path("outcomes")) {
            if (o.path("strategy").asText().equals(strategy) && !o.path("dry_run").asBoolean()) {
                found = o; // newest first: keep the oldest
            }
        }
        return found;
    }

    /** The body of {@code path} with its status, or why there is none (for failure messages). */
    private String answer(String path) {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).GET());
            return r.statusCode() + " " + r.body();
        } catch (Exception e) {
            return "no answer: " + e;
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
