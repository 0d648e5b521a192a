package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.index.cluster.PartitionsUnavailableException;
import io.ruvector.index.query.BucketDigestsQuery;
import io.ruvector.index.query.BucketRowsQuery;
import io.ruvector.index.query.RowVersionsQuery;
import io.ruvector.index.query.KnnQuery;
import io.ruvector.index.query.StatsQuery;
import io.ruvector.index.query.WatermarkQuery;
import io.ruvector.schemas.CollectionSpec;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /v1/internal/...}: what one instance asks another during scatter/gather — the answers of
 * named partitions of this instance's active tasks (or, with {@code standby=true}, of its standby
 * copies), per partition, never merged. Not part of the
 * public API (docs/api.md lists it as internal).
 */
final class InternalHandler {

    private final EmbeddedRuntime runtime;
    private final CollectionsHandler collections;
    private final long maxBodyBytes;

    InternalHandler(EmbeddedRuntime runtime, CollectionsHandler collections, long maxBodyBytes) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.collections = Objects.requireNonNull(collections, "collections");
        this.maxBodyBytes = maxBodyBytes;
    }

    /** {@code POST /v1/internal/collections/{name}/search?partitions=…}: per-partition top-k; no min_lsn wait. */
    void search(HttpExchange exchange, String name) throws IOException {
        CollectionSpec spec = collections.require(name);
        SearchBody body = Exchanges.bind(Exchanges.readBytes(exchange, maxBodyBytes), SearchBody.class);
        SearchParser.SearchPlan plan = SearchParser.parse(spec, body);
        send(exchange, () -> replica(exchange, new KnnQuery(plan.request())));
    }

    /** {@code GET /v1/internal/collections/{name}/stats?partitions=…}. */
    void stats(HttpExchange exchange, String name) throws IOException {
        collections.require(name);
        send(exchange, () -> replica(exchange, new StatsQuery(name)));
    }

    /** {@code POST /v1/internal/collections/{name}/versions?partitions=…}: the states of the ids in the body. */
    void versions(HttpExchange exchange, String name) throws IOException {
        collections.require(name);
        PeerClient.VersionsBody body = peerBody(exchange, PeerClient.VersionsBody.class,
                "{\"ids\": [...], \"withRows\": bool}");
        if (body.ids() == null) {
            throw ApiException.badRequest("invalid_request", "ids is required");
        }
        send(exchange, () -> replica(exchange, new RowVersionsQuery(name, java.util.Set.copyOf(body.ids()),
                body.withRows())));
    }

    /** {@code GET /v1/internal/collections/{name}/digests?partitions=…}: bucket digests for a consistency check. */
    void digests(HttpExchange exchange, String name) throws IOException {
        collections.require(name);
        send(exchange, () -> replica(exchange, new BucketDigestsQuery(name)));
    }

    /** {@code POST /v1/internal/collections/{name}/rows?partitions=…}: the row states of the buckets in the body. */
    void rows(HttpExchange exchange, String name) throws IOException {
        collections.require(name);
        ConsistencyHandler.RowsBody body = peerBody(exchange, ConsistencyHandler.RowsBody.class, "{\"buckets\": [...]}");
        if (body.buckets() == null) {
            throw ApiException.badRequest("invalid_request", "buckets is required");
        }
        send(exchange, () -> replica(exchange, new BucketRowsQuery(name, Set.copyOf(body.buckets()))));
    }

    /** A peer's request body (lenient peer JSON); a 400 showing {@code shape} when it does not bind. */
    private <T> T peerBody(HttpExchange exchange, Class<T> type, String shape) throws IOException {
        try {
            return PeerClient.JSON.readValue(Exchanges.readBytes(exchange, maxBodyBytes), type);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw ApiException.badRequest("invalid_request", "body must be " + shape + ": " + e.getOriginalMessage());
        }
    }

    /** {@code GET /v1/internal/watermarks?partitions=…}. */
    void watermarks(HttpExchange exchange) throws IOException {
        send(exchange, () -> replica(exchange, new WatermarkQuery()));
    }

    private static void send(HttpExchange exchange, java.util.function.Supplier<Map<Integer, ?>> answer) throws IOException {
        Map<Integer, ?> answers;
        try {
            answers = answer.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_request", e.getMessage());
        } catch (PartitionsUnavailableException e) {
            throw new ApiException(503, "partitions_unavailable", e.getMessage(), e);
        } catch (io.ruvector.compose.runtime.PartStarting e) {
            throw ApiException.starting(e);
        } catch (IllegalStateException e) { // the index rebalancing or a partition moving: the caller retries
            throw new ApiException(503, "index_unavailable", "the index cannot answer right now: " + e.getMessage(), e)
                    .retryAfter(1);
        }
        Exchanges.sendBytes(exchange, 200, "application/json", PeerClient.JSON.writeValueAsBytes(answers));
    }

    /**
     * {@code query} on the partitions the request names, answered by this instance's active tasks,
     * or with {@code standby=true} by its standby copies (the caller's active instance is gone).
     */
    private <R> Map<Integer, R> replica(HttpExchange exchange, io.ruvector.index.query.VectorIndexQuery<R> query) {
        Map<String, String> params = params(exchange);
        Set<Integer> partitions = partitions(params.get("partitions"));
        String standby = params.getOrDefault("standby", "false");
        if (!standby.equals("true") && !standby.equals("false")) {
            throw ApiException.badRequest("invalid_request", "standby must be true or false, was '" + standby + "'");
        }
        return standby.equals("true") ? runtime.cluster().localStandby(query, partitions)
                : runtime.cluster().local(query, partitions);
    }

    private static Map<String, String> params(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        Map<String, String> params = new java.util.HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return params;
    }

    private static Set<Integer> partitions(String list) {
        if (list == null || list.isEmpty()) {
            throw ApiException.badRequest("invalid_request", "partitions=<p,p,...> is required");
        }
        Set<Integer> partitions = new TreeSet<>();
        for (String p : list.split(",")) {
            try {
                partitions.add(Integer.parseInt(p));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid_request", "partition '" + p + "' is not a number");
            }
        }
        return partitions;
    }
}
