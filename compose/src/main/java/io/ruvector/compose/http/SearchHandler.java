package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.shadow.ShadowReads;
import io.ruvector.index.cluster.ClusterQueries;
import io.ruvector.index.cluster.Gathered;
import io.ruvector.index.cluster.PeerCall;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.RowVersionsQuery;
import io.ruvector.index.query.TransitMerge;
import io.ruvector.index.query.KnnQuery;
import io.ruvector.index.query.KnnResult;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.RiskLevel;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /v1/collections/{name}/search}: waits for {@code min_lsn} when asked (on every
 * instance), then scatters the search to the instances hosting the partitions and merges their
 * top-k. The response's {@code exact} says whether every partition answered by brute force.
 */
final class SearchHandler {

    /** One hit; {@code distance} is null when not finite (JSON has no NaN). */
    record Hit(String id, Double distance, Map<String, Object> metadata) {
    }

    /**
     * The answer; {@code took_ms} includes the wait for {@code min_lsn}. {@code watermark}: the
     * lowest watermark of the partition answers merged (the answer holds every change up to it),
     * null before any; {@code served_by_standby}: partitions a standby copy answered because their
     * active instance could not.
     */
    record SearchResponse(List<Hit> results, long tookMs, boolean exact, String watermark, List<Integer> servedByStandby) {
    }

    /** What the gathers of one search were served from (a search may gather more than once). */
    private static final class Served {
        private long watermark = Long.MAX_VALUE;
        private final java.util.Set<Integer> standby = new java.util.TreeSet<>();

        synchronized void add(Gathered<KnnResult> gathered) {
            gathered.answers().values().forEach(r -> watermark = Math.min(watermark, r.watermark()));
            standby.addAll(gathered.standbyServed());
        }

        synchronized String watermark() {
            return watermark == Long.MAX_VALUE || watermark < 0 ? null : io.ruvector.schemas.LsnText.format(watermark);
        }

        synchronized List<Integer> standby() {
            return List.copyOf(standby);
        }
    }

    private final CollectionsHandler collections;
    private final EmbeddedRuntime runtime;
    private final PeerClient peers;
    private final long maxBodyBytes;
    private final SearchAdmission admission = new SearchAdmission();
    private final ShadowReads shadow;

    SearchHandler(CollectionsHandler collections, EmbeddedRuntime runtime, PeerClient peers, ShadowReads shadow,
                  long maxBodyBytes) {
        this.shadow = Objects.requireNonNull(shadow, "shadow");
        this.collections = Objects.requireNonNull(collections, "collections");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.maxBodyBytes = maxBodyBytes;
    }

    void search(HttpExchange exchange, String name) throws IOException, InterruptedException {
        long start = System.nanoTime();
        CollectionSpec spec = collections.require(name);
        byte[] raw = Exchanges.readBytes(exchange, maxBodyBytes);
        SearchBody body = Exchanges.bind(raw, SearchBody.class);
        SearchParser.SearchPlan plan = SearchParser.parse(spec, body);
        admit(spec.getName(), plan.request().tenant());
        ClusterQueries cluster = cluster(runtime);
        if (plan.minLsnText() != null) {
            awaitWatermark(cluster, plan);
        }
        KnnResult result;
        Served served = new Served();
        long deadline = start + plan.timeout().toNanos();
        try {
            result = TransitMerge.search(plan.request(),
                    r -> fresh(cluster, new KnnQuery(r), peers.search(name, r.k() == plan.request().k() ? raw : withK(raw, r.k())),
                            plan, deadline, served),
                    ids -> cluster.gather(new RowVersionsQuery(spec.getName(), ids, false), peers.versions(name, ids, false)));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_request", e.getMessage());
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) { // a partition not running, moving, or its instance gone
            throw unavailable(e);
        }
        List<Hit> hits = result.hits().stream().map(SearchHandler::hit).toList();
        long took = System.nanoTime() - start;
        runtime.metrics().searchTimer().record(took, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (!served.standby().isEmpty()) {
            runtime.metrics().failedOverSearch();
        }
        Exchanges.send(exchange, 200, new SearchResponse(hits, took / 1_000_000, result.exact(), served.watermark(),
                served.standby()));
        shadow.offer(spec, plan.request(), body.filter(), result.hits(), took); // after the answer is sent
    }

    /** In a critical integrity state searches are low-risk work throttled to the gate's fraction: 429 for the rest. */
    private void admit(String collection, String tenant) {
        double fraction = runtime.integrityView().admitFraction(collection, tenant, RiskLevel.LOW);
        if (!admission.admit(tenant == null ? collection : collection + "/" + tenant, fraction)) {
            throw new ApiException(429, "throttled", "collection '" + collection + "' is in a critical integrity state: "
                    + "searches are admitted at " + fraction + "; retry after 1 s").retryAfter(1);
        }
    }

    /** The runtime's cluster queries, or a 503 while its index is not running. */
    static ClusterQueries cluster(EmbeddedRuntime runtime) {
        try {
            return runtime.cluster();
        } catch (io.ruvector.compose.runtime.PartStarting e) {
            throw ApiException.starting(e);
        } catch (IllegalStateException e) {
            throw new ApiException(503, "index_unavailable", "the index is not running on this instance: " + e.getMessage(), e);
        }
    }

    /** A 503 that tells the client to retry in a second (a rebalance usually completes by then). */
    static ApiException unavailable(RuntimeException e) {
        return new ApiException(503, "index_unavailable", "the index cannot answer right now: " + e.getMessage(), e)
                .retryAfter(1);
    }

    private void awaitWatermark(ClusterQueries cluster, SearchParser.SearchPlan plan) throws InterruptedException {
        try {
            cluster.awaitWatermark(plan.minLsn(), plan.timeout(), peers.watermarks());
        } catch (TimeoutException e) {
            throw new ApiException(504, "watermark_timeout", "the index did not reach min_lsn " + plan.minLsnText()
                    + " within " + plan.timeout().toMillis() + " ms; " + e.getMessage(), e);
        }
    }

    /**
     * One gather of {@code query} whose every partition answered at or past the request's
     * {@code min_lsn}: the wait before the search saw each partition there, but a standby that
     * answers afterwards may be a copy that is not (yet). Such an answer is asked again until the
     * request's timeout, never returned older.
     */
    private static Map<Integer, KnnResult> fresh(ClusterQueries cluster, KnnQuery query, PeerCall<KnnResult> peers,
                                                 SearchParser.SearchPlan plan, long deadline, Served served)
            throws InterruptedException {
        while (true) {
            Gathered<KnnResult> gathered = cluster.gatherServed(query, peers);
            long lowest = gathered.answers().values().stream().mapToLong(KnnResult::watermark).min().orElse(Long.MAX_VALUE);
            if (plan.minLsnText() == null || lowest >= plan.minLsn()) {
                served.add(gathered);
                return gathered.answers();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ApiException(504, "watermark_timeout", "the index did not answer at min_lsn " + plan.minLsnText()
                        + " within " + plan.timeout().toMillis() + " ms: the replicas that answered were at LSN "
                        + io.ruvector.schemas.LsnText.format(Math.max(0, lowest)), null);
            }
            Thread.sleep(10);
        }
    }

    /** The search body with another {@code k}: a merge that dropped superseded hits asks the peers for more. */
    private static byte[] withK(byte[] raw, int k) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode body =
                    (com.fasterxml.jackson.databind.node.ObjectNode) PeerClient.JSON.readTree(raw);
            body.put("k", k);
            return PeerClient.JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("search body is not a JSON object: " + e.getMessage(), e);
        }
    }

    private static Hit hit(KnnHit hit) {
        return new Hit(hit.id(), Double.isFinite(hit.distance()) ? hit.distance() : null, hit.metadata());
    }
}
