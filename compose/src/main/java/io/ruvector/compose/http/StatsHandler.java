package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.index.query.WatermarkQuery;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /v1/collections/{name}/stats}: the index's watermark per vector partition and the
 * lowest of them (everything committed before it is searchable). {@code count} is null:
 * {@link IndexService} has no count query yet, and counting by a k = 10000 search would be wrong
 * past 10000 rows.
 */
final class StatsHandler {

    /** Partition watermarks as LSN text (null before a partition's first watermark). */
    record Stats(Long count, String watermarkLsn, Map<String, String> partitions) {
    }

    private final CollectionsHandler collections;
    private final EmbeddedRuntime runtime;
    private final PeerClient peers;

    StatsHandler(CollectionsHandler collections, EmbeddedRuntime runtime, PeerClient peers) {
        this.collections = Objects.requireNonNull(collections, "collections");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    void stats(HttpExchange exchange, String name) throws IOException, InterruptedException {
        collections.require(name);
        Map<Integer, Long> marks;
        try {
            marks = SearchHandler.cluster(runtime).gather(new WatermarkQuery(), peers.watermarks());
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SearchHandler.unavailable(e);
        }
        Map<String, String> partitions = new LinkedHashMap<>();
        long lowest = Long.MAX_VALUE;
        for (Map.Entry<Integer, Long> mark : marks.entrySet()) {
            partitions.put(Integer.toString(mark.getKey()), Lsn.format(mark.getValue()));
            lowest = Math.min(lowest, mark.getValue());
        }
        String watermark = marks.isEmpty() ? null : Lsn.format(lowest);
        Exchanges.send(exchange, 200, new Stats(null, watermark, partitions));
    }
}
