package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.index.IndexService;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnResult;
import io.ruvector.schemas.CollectionSpec;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /v1/collections/{name}/search}: waits for {@code min_lsn} when asked, then runs the
 * exact top-k over every partition. The response's {@code exact} is always true for now.
 */
final class SearchHandler {

    /** One hit; {@code distance} is null when not finite (JSON has no NaN). */
    record Hit(String id, Double distance, Map<String, Object> metadata) {
    }

    /** The answer; {@code took_ms} includes the wait for {@code min_lsn}. */
    record SearchResponse(List<Hit> results, long tookMs, boolean exact) {
    }

    private final CollectionsHandler collections;
    private final IndexService index;
    private final long maxBodyBytes;

    SearchHandler(CollectionsHandler collections, IndexService index, long maxBodyBytes) {
        this.collections = Objects.requireNonNull(collections, "collections");
        this.index = Objects.requireNonNull(index, "index");
        this.maxBodyBytes = maxBodyBytes;
    }

    void search(HttpExchange exchange, String name) throws IOException, InterruptedException {
        long start = System.nanoTime();
        CollectionSpec spec = collections.require(name);
        SearchBody body = Exchanges.readBody(exchange, SearchBody.class, maxBodyBytes);
        SearchParser.SearchPlan plan = SearchParser.parse(spec, body);
        if (plan.minLsnText() != null) {
            awaitWatermark(plan);
        }
        KnnResult result;
        try {
            result = index.search(plan.request());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_request", e.getMessage());
        } catch (RuntimeException e) { // a partition not running or rebalancing
            throw new ApiException(503, "index_unavailable", "the index cannot answer right now: " + e.getMessage(), e);
        }
        List<Hit> hits = result.hits().stream().map(SearchHandler::hit).toList();
        Exchanges.send(exchange, 200, new SearchResponse(hits, (System.nanoTime() - start) / 1_000_000, true));
    }

    private void awaitWatermark(SearchParser.SearchPlan plan) throws InterruptedException {
        try {
            index.awaitWatermark(plan.minLsn(), plan.timeout());
        } catch (TimeoutException e) {
            throw new ApiException(504, "watermark_timeout", "the index did not reach min_lsn " + plan.minLsnText()
                    + " within " + plan.timeout().toMillis() + " ms; " + slowestPartition(index), e);
        }
    }

    /** "slowest partition 3 is at 0/16A0000", for a timeout's message. */
    static String slowestPartition(IndexService index) {
        Map<Integer, Long> marks;
        try {
            marks = index.watermarks();
        } catch (RuntimeException e) {
            return "partition watermarks unavailable (" + e.getMessage() + ")";
        }
        Map.Entry<Integer, Long> slowest = null;
        for (Map.Entry<Integer, Long> mark : marks.entrySet()) {
            if (slowest == null || mark.getValue() < slowest.getValue()) {
                slowest = mark;
            }
        }
        if (slowest == null) {
            return "no partition has reported a watermark yet";
        }
        String at = Lsn.format(slowest.getValue());
        return "slowest partition " + slowest.getKey() + " is at " + (at == null ? "no watermark yet" : at);
    }

    private static Hit hit(KnnHit hit) {
        return new Hit(hit.id(), Double.isFinite(hit.distance()) ? hit.distance() : null, hit.metadata());
    }
}
