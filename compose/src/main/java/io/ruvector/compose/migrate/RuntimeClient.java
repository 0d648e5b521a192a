package io.ruvector.compose.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ruvector.compose.pgvector.PgKnn.Neighbour;
import io.ruvector.schemas.LsnText;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/**
 * The migration tools' client of a running runtime's HTTP API (docs/api.md): the collection, its
 * searches, its stats and its consistency digests. Any refusal is an {@link IllegalStateException}
 * carrying the API's status and detail; an unreachable runtime says so.
 */
public final class RuntimeClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** @param base the API's address, e.g. {@code http://127.0.0.1:8080} */
    public RuntimeClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** A search's answer: the hits and the time the client waited for them. */
    public record Answer(List<Neighbour> hits, long nanos) {
    }

    /** {@code GET /v1/collections/{name}}. */
    public JsonNode collection(String name) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/v1/collections/" + encode(name))).GET(), "collection " + name);
    }

    /** {@code GET /v1/collections/{name}/stats}. */
    public JsonNode stats(String name) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/v1/collections/" + encode(name) + "/stats")).GET(), "stats of " + name);
    }

    /** The collection's lowest partition watermark now (stats' {@code watermark_lsn}); -1 before every partition has one. */
    public long watermark(String name) throws IOException, InterruptedException {
        JsonNode mark = stats(name).path("watermark_lsn");
        return mark.isTextual() ? LsnText.parse(mark.asText()) : -1;
    }

    /**
     * Milliseconds until the collection's lowest watermark reaches {@code lsn} (read-your-writes
     * for a whole collection, polled every 20 ms); -1 when {@code timeout} passes first.
     */
    public long awaitWatermark(String name, long lsn, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        while (watermark(name) < lsn) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                return -1;
            }
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** {@code GET /v1/collections/{name}/consistency/digests}. */
    public JsonNode digests(String name) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri("/v1/collections/" + encode(name) + "/consistency/digests")).GET(),
                "digests of " + name);
    }

    /** {@code POST /v1/collections/{name}/consistency/rows}. */
    public JsonNode rows(String name, Collection<Integer> buckets) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        buckets.forEach(body.putArray("buckets")::add);
        return send(post("/v1/collections/" + encode(name) + "/consistency/rows", body), "rows of " + name);
    }

    /**
     * A search as a client sends it; {@code efSearch} null takes the index's default, {@code filter}
     * null none. The vector travels as base64 float32, the API's compact form.
     */
    public Answer search(String name, float[] vector, int k, String tenant, JsonNode filter, Integer efSearch)
            throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.put("vector_base64", base64(vector));
        body.put("k", k);
        if (tenant != null) {
            body.put("tenant", tenant);
        }
        if (filter != null && !filter.isNull()) {
            body.set("filter", filter);
        }
        if (efSearch != null) {
            body.put("ef_search", efSearch);
        }
        long start = System.nanoTime();
        JsonNode answer = send(post("/v1/collections/" + encode(name) + "/search", body), "search of " + name);
        long nanos = System.nanoTime() - start;
        List<Neighbour> hits = new ArrayList<>();
        for (JsonNode hit : answer.path("results")) {
            JsonNode d = hit.path("distance");
            hits.add(new Neighbour(hit.path("id").asText(), d.isNumber() ? d.doubleValue() : Double.NaN));
        }
        return new Answer(hits, nanos);
    }

    private HttpRequest.Builder post(String path, JsonNode body) throws IOException {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    }

    private JsonNode send(HttpRequest.Builder request, String what) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException("cannot reach the runtime at " + base
                    + " (is ./ruvector run or demo running? --http names its API)", e);
        }
        JsonNode body = response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(what + ": the runtime answered HTTP " + response.statusCode() + " "
                    + body.path("error").asText() + ": " + body.path("detail").asText());
        }
        return body;
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
