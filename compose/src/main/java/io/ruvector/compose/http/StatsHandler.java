package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.index.cluster.Gathered;
import io.ruvector.index.cluster.IndexPlacement;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.query.StatsQuery;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /v1/collections/{name}/stats}: live rows, deleted graph nodes and memory per
 * partition and in total, each partition's watermark and host, and the lowest watermark
 * (everything committed before it is searchable), gathered from every instance.
 */
final class StatsHandler {

    /**
     * One partition: watermark as LSN text (null before its first watermark); {@code host} its
     * active instance (null while it moves), {@code standbys} the instances with a standby copy,
     * {@code servedBy} which of them answered these numbers ({@code active} or {@code standby}).
     */
    record PartitionView(long count, long deleted, long tombstones, long memoryBytes, long vectorBytes, long cold,
                         boolean graph, String watermarkLsn, String host, boolean handOff, List<String> standbys,
                         String servedBy) {
    }

    record Stats(long count, long deleted, long memoryBytes, long vectorBytes, long cold, String watermarkLsn,
                 Map<String, PartitionView> partitions) {
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
        IndexPlacement placement;
        try {
            placement = SearchHandler.cluster(runtime).placement();
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SearchHandler.unavailable(e);
        }
        Gathered<CollectionStats> gathered = gatherServed(name);
        Map<Integer, CollectionStats> stats = gathered.answers();
        Map<String, PartitionView> partitions = new LinkedHashMap<>();
        long count = 0;
        long deleted = 0;
        long memory = 0;
        long vectors = 0;
        long cold = 0;
        long lowest = Long.MAX_VALUE;
        for (Map.Entry<Integer, CollectionStats> entry : stats.entrySet()) {
            CollectionStats s = entry.getValue();
            HostInfo host = placement.activeHost(entry.getKey());
            partitions.put(Integer.toString(entry.getKey()), new PartitionView(s.liveRows(), s.deletedGraphNodes(),
                    s.tombstones(), s.memoryBytes(), s.vectorBytes(), s.coldRows(), s.graphPresent(), Lsn.format(s.watermark()),
                    host == null ? null : hostText(host), s.handOff(),
                    placement.standbyHosts(entry.getKey()).stream().map(StatsHandler::hostText).toList(),
                    gathered.standbyServed().contains(entry.getKey()) ? "standby" : "active"));
            count += s.liveRows();
            deleted += s.deletedGraphNodes();
            memory += s.memoryBytes();
            vectors += s.vectorBytes();
            cold += s.coldRows();
            lowest = Math.min(lowest, s.watermark());
        }
        Exchanges.send(exchange, 200, new Stats(count, deleted, memory, vectors, cold, stats.isEmpty() ? null : Lsn.format(lowest), partitions));
    }

    private static String hostText(HostInfo host) {
        return host.port() < 0 ? "local" : host.host() + ":" + host.port();
    }

    /** Every partition's stats of {@code name}, from this instance and its peers; a 503 while some cannot answer. */
    Map<Integer, CollectionStats> gather(String name) throws InterruptedException {
        return gatherServed(name).answers();
    }

    private Gathered<CollectionStats> gatherServed(String name) throws InterruptedException {
        try {
            return SearchHandler.cluster(runtime).gatherServed(new StatsQuery(name), peers.stats(name));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw SearchHandler.unavailable(e);
        }
    }
}
