package io.ruvector.compose.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ruvector.index.cluster.PeerCall;
import io.ruvector.index.query.BucketDigests;
import io.ruvector.index.query.BucketRowsQuery;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.query.KnnResult;
import io.ruvector.index.query.RowVersion;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The transport of scatter/gather between instances: asks a peer's internal endpoints
 * ({@link InternalHandler}) for the answers of some of its partitions. A 400 from the peer is the
 * caller's mistake and comes back as {@link IllegalArgumentException}; anything else (connection
 * refused, 503 while it rebalances, a timeout) is an {@link IOException}, which leaves those
 * partitions unanswered.
 */
final class PeerClient {

    /** Peer traffic is internal: plain field names, lenient about fields a newer peer adds. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    static final TypeReference<Map<Integer, KnnResult>> KNN = new TypeReference<>() { };
    private static final TypeReference<Map<Integer, Long>> MARKS = new TypeReference<>() { };
    private static final TypeReference<Map<Integer, CollectionStats>> STATS = new TypeReference<>() { };
    static final TypeReference<Map<Integer, Map<String, RowVersion>>> VERSIONS = new TypeReference<>() { };
    private static final TypeReference<Map<Integer, BucketDigests>> DIGESTS = new TypeReference<>() { };
    private static final TypeReference<Map<Integer, List<BucketRowsQuery.RowState>>> ROW_STATES = new TypeReference<>() { };
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();

    /** Search on a peer's partitions with the caller's original body (the peer parses it the same way). */
    PeerCall<KnnResult> search(String collection, byte[] body) {
        return (peer, partitions, standby) -> send(HttpRequest.newBuilder(uri(peer.host(), peer.port(),
                        "/v1/internal/collections/" + encode(collection) + "/search", partitions, standby))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), KNN);
    }

    /** The watermarks of a peer's partitions. */
    PeerCall<Long> watermarks() {
        return (peer, partitions, standby) -> send(HttpRequest.newBuilder(uri(peer.host(), peer.port(), "/v1/internal/watermarks",
                partitions, standby)).GET(), MARKS);
    }

    /** A collection's statistics on a peer's partitions. */
    PeerCall<CollectionStats> stats(String collection) {
        return (peer, partitions, standby) -> send(HttpRequest.newBuilder(uri(peer.host(), peer.port(),
                "/v1/internal/collections/" + encode(collection) + "/stats", partitions, standby)).GET(), STATS);
    }

    /** The states of {@code ids} on a peer's partitions (with the live rows when {@code withRows}). */
    PeerCall<Map<String, RowVersion>> versions(String collection, Set<String> ids, boolean withRows) {
        return (peer, partitions, standby) -> {
            byte[] body = JSON.writeValueAsBytes(new VersionsBody(List.copyOf(ids), withRows));
            return send(HttpRequest.newBuilder(uri(peer.host(), peer.port(),
                    "/v1/internal/collections/" + encode(collection) + "/versions", partitions, standby))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)), VERSIONS);
        };
    }

    /** The bucket digests of a collection on a peer's partitions. */
    PeerCall<BucketDigests> digests(String collection) {
        return (peer, partitions, standby) -> send(HttpRequest.newBuilder(uri(peer.host(), peer.port(),
                "/v1/internal/collections/" + encode(collection) + "/digests", partitions, standby)).GET(), DIGESTS);
    }

    /** The states held for the ids of {@code buckets} on a peer's partitions. */
    PeerCall<List<BucketRowsQuery.RowState>> rowStates(String collection, Set<Integer> buckets) {
        return (peer, partitions, standby) -> {
            byte[] body = JSON.writeValueAsBytes(new ConsistencyHandler.RowsBody(List.copyOf(buckets)));
            return send(HttpRequest.newBuilder(uri(peer.host(), peer.port(),
                    "/v1/internal/collections/" + encode(collection) + "/rows", partitions, standby))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)), ROW_STATES);
        };
    }

    /** Body of {@code POST /v1/internal/collections/{name}/versions}. */
    record VersionsBody(List<String> ids, boolean withRows) {
    }

    private <R> Map<Integer, R> send(HttpRequest.Builder request, TypeReference<Map<Integer, R>> type)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(request.timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 400) {
            throw new IllegalArgumentException(JSON.readTree(response.body()).path("detail").asText("bad request"));
        }
        if (response.statusCode() != 200) {
            throw new IOException("peer " + response.uri().getAuthority() + " answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return JSON.readValue(response.body(), type);
    }

    private static URI uri(String host, int port, String path, Set<Integer> partitions, boolean standby) {
        String list = partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
        return URI.create("http://" + host + ":" + port + path + "?partitions=" + list + (standby ? "&standby=true" : ""));
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
