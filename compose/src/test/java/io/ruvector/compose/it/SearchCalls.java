package io.ruvector.compose.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Searches over HTTP and pgvector's answer to compare them with, shared by the multi-instance tests. */
final class SearchCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SearchCalls() {
    }

    /** An exact top-10 search of {@code collection} on the instance at {@code port}, complete as of {@code lsn}. */
    static HttpResponse<String> exactTop10(HttpClient client, int port, String collection, float[] query, String lsn)
            throws Exception {
        String body = "{\"vector\": " + Floats.text(query) + ", \"k\": 10, \"exact\": true, \"min_lsn\": \"" + lsn
                + "\", \"timeout_ms\": 30000}";
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/collections/" + collection
                        + "/search")).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The ids of a search answer, in rank order. */
    static List<String> ids(HttpResponse<String> response) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode hit : JSON.readTree(response.body()).get("results")) {
            ids.add(hit.get("id").asText());
        }
        return ids;
    }

    /** pgvector's exact top-{@code k} by L2 over {@code table}. */
    static List<String> pgvectorTop(String table, float[] query, int k) throws Exception {
        return TestPostgres.query("SELECT id::text FROM " + table + " ORDER BY embedding <-> '" + Floats.text(query)
                + "' LIMIT " + k).stream().map(row -> (String) row.getFirst()).toList();
    }

    /** A vector of {@code dims} components uniform in [0, 1). */
    static float[] randomVector(SplittableRandom random, int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random.nextDouble();
        }
        return v;
    }
}
