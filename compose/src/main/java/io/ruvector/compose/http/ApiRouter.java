package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.PartStarting;
import io.ruvector.compose.shadow.ShadowReads;
import io.ruvector.compose.shadow.ShadowSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes {@code /v1/...} and {@code /health/...} to the resource handlers and turns every failure into a JSON
 * error: {@link ApiException}s keep their status, a part still starting is a 503 with
 * {@code Retry-After}, anything else is a logged 500. A bad request
 * never escapes the exchange, so the server keeps serving.
 */
final class ApiRouter implements HttpHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);

    private final CollectionsHandler collections;
    private final SearchHandler search;
    private final StatsHandler stats;
    private final TiersHandler tiers;
    private final InternalHandler internal;
    private final VectorHandler vectors;
    private final IntegrityHandler integrity;
    private final AuditHandler audit;
    private final HealingHandler healing;
    private final HealthHandler health;
    private final ConsistencyHandler consistency;
    private final ShadowReads shadowReads;
    private final ShadowHandler shadow;
    private final UiHandler ui = new UiHandler();
    private final EmbeddedRuntime runtime;

    ApiRouter(EmbeddedRuntime runtime, long maxBodyBytes) {
        this.runtime = runtime;
        PeerClient peers = new PeerClient();
        this.collections = new CollectionsHandler(runtime, maxBodyBytes);
        ShadowSettings shadowSettings = runtime.config().http() == null ? ShadowSettings.DEFAULT : runtime.config().http().shadow();
        this.shadowReads = new ShadowReads(runtime.config().postgres(), runtime.metrics().registry(), shadowSettings,
                name -> {
                    var catalog = runtime.catalog();
                    var spec = catalog == null ? null : catalog.byName(name);
                    return spec == null ? null : spec.getShadow();
                });
        this.shadow = new ShadowHandler(collections, runtime, shadowReads, maxBodyBytes);
        this.search = new SearchHandler(collections, runtime, peers, shadowReads, maxBodyBytes);
        this.stats = new StatsHandler(collections, runtime, peers);
        this.tiers = new TiersHandler(collections, stats, runtime, maxBodyBytes);
        this.internal = new InternalHandler(runtime, collections, maxBodyBytes);
        this.vectors = new VectorHandler(collections, runtime, peers);
        this.integrity = new IntegrityHandler(collections, runtime, maxBodyBytes);
        this.audit = new AuditHandler(runtime);
        this.healing = new HealingHandler(collections, runtime, maxBodyBytes);
        this.health = new HealthHandler(runtime);
        this.consistency = new ConsistencyHandler(collections, runtime, peers, maxBodyBytes);
    }

    /** Stops the shadow reads (the router serves no more requests). */
    @Override
    public void close() {
        shadowReads.close();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange, exchange.getRequestMethod(), segments(exchange.getRequestURI().getRawPath()));
            } catch (ApiException e) {
                Exchanges.sendError(exchange, e);
            } catch (PartStarting e) {
                Exchanges.sendError(exchange, ApiException.starting(e));
            } catch (io.ruvector.compose.runtime.PartNotHere e) {
                Exchanges.sendError(exchange, new ApiException(404, e.part() + "_not_here", e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Exchanges.sendError(exchange, new ApiException(503, "shutting_down", "the server is shutting down"));
            } catch (IOException e) {
                LOG.debug("{} {}: connection failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                Exchanges.sendError(exchange, new ApiException(500, "internal_error", String.valueOf(e.getMessage())));
            }
        }
    }

    private void route(HttpExchange exchange, String method, List<String> path) throws IOException, InterruptedException {
        if (path.equals(List.of("metrics"))) {
            allow(method, "GET");
            Exchanges.sendText(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", runtime.metrics().scrape());
            return;
        }
        if (path.size() == 2 && path.get(0).equals("health")) {
            allow(method, "GET");
            switch (path.get(1)) {
                case "live" -> health.live(exchange);
                case "ready" -> health.ready(exchange);
                default -> throw notFound(exchange);
            }
            return;
        }
        if (!path.isEmpty() && path.get(0).equals("ui")) {
            allow(method, "GET");
            ui.get(exchange, path.subList(1, path.size()));
            return;
        }
        if (path.equals(List.of("v1", "audit", "public-key"))) {
            allow(method, "GET");
            audit.publicKey(exchange);
            return;
        }
        if (path.size() >= 2 && path.get(0).equals("v1") && path.get(1).equals("healing")) {
            routeHealing(exchange, method, path.subList(2, path.size()));
            return;
        }
        if (path.size() >= 2 && path.get(0).equals("v1") && path.get(1).equals("internal")) {
            routeInternal(exchange, method, path.subList(2, path.size()));
            return;
        }
        if (path.size() < 2 || !path.get(0).equals("v1") || !path.get(1).equals("collections")) {
            throw notFound(exchange);
        }
        List<String> rest = path.subList(2, path.size());
        switch (rest.size()) {
            case 0 -> {
                switch (allow(method, "GET", "POST")) {
                    case "GET" -> collections.list(exchange);
                    default -> collections.create(exchange);
                }
            }
            case 1 -> {
                allow(method, "GET");
                collections.get(exchange, rest.get(0));
            }
            case 2 -> {
                switch (rest.get(1)) {
                    case "search" -> {
                        allow(method, "POST");
                        search.search(exchange, rest.get(0));
                    }
                    case "stats" -> {
                        allow(method, "GET");
                        stats.stats(exchange, rest.get(0));
                    }
                    case "shadow" -> {
                        switch (allow(method, "GET", "PUT", "DELETE")) {
                            case "GET" -> shadow.get(exchange, rest.get(0));
                            case "PUT" -> shadow.put(exchange, rest.get(0));
                            default -> shadow.delete(exchange, rest.get(0));
                        }
                    }
                    case "tiers" -> {
                        switch (allow(method, "GET", "PUT", "DELETE")) {
                            case "GET" -> tiers.get(exchange, rest.get(0));
                            case "PUT" -> tiers.put(exchange, rest.get(0));
                            default -> tiers.delete(exchange, rest.get(0));
                        }
                    }
                    case "integrity" -> {
                        allow(method, "GET");
                        integrity.integrity(exchange, rest.get(0));
                    }
                    case "gate" -> {
                        allow(method, "GET");
                        integrity.gate(exchange, rest.get(0));
                    }
                    case "healing" -> {
                        allow(method, "GET");
                        healing.status(exchange, rest.get(0));
                    }
                    default -> throw notFound(exchange);
                }
            }
            case 3 -> {
                if (rest.get(1).equals("integrity") && rest.get(2).equals("policy")) {
                    allow(method, "PUT");
                    integrity.putPolicy(exchange, rest.get(0));
                    return;
                }
                if (rest.get(1).equals("integrity") && rest.get(2).equals("history")) {
                    allow(method, "GET");
                    integrity.history(exchange, rest.get(0));
                    return;
                }
                if (rest.get(1).equals("healing")) {
                    switch (rest.get(2)) {
                        case "history" -> {
                            allow(method, "GET");
                            healing.history(exchange, rest.get(0));
                        }
                        case "config" -> {
                            allow(method, "PUT");
                            healing.configure(exchange, rest.get(0));
                        }
                        default -> {
                            allow(method, "POST");
                            healing.request(exchange, rest.get(0), rest.get(2));
                        }
                    }
                    return;
                }
                if (rest.get(1).equals("consistency")) {
                    switch (rest.get(2)) {
                        case "digests" -> {
                            allow(method, "GET");
                            consistency.digests(exchange, rest.get(0));
                        }
                        case "rows" -> {
                            allow(method, "POST");
                            consistency.rows(exchange, rest.get(0));
                        }
                        default -> throw notFound(exchange);
                    }
                    return;
                }
                if (!rest.get(1).equals("vectors")) {
                    throw notFound(exchange);
                }
                allow(method, "GET");
                vectors.get(exchange, rest.get(0), rest.get(2));
            }
            default -> throw notFound(exchange);
        }
    }

    /** {@code /v1/healing[/effectiveness|/strategies|/config]}: the deployment-wide healing surface. */
    private void routeHealing(HttpExchange exchange, String method, List<String> rest) throws IOException, InterruptedException {
        if (rest.isEmpty()) {
            allow(method, "GET");
            healing.overview(exchange);
        } else if (rest.equals(List.of("effectiveness"))) {
            allow(method, "GET");
            healing.effectiveness(exchange);
        } else if (rest.equals(List.of("strategies"))) {
            allow(method, "GET");
            healing.strategies(exchange);
        } else if (rest.equals(List.of("config"))) {
            allow(method, "PUT");
            healing.configure(exchange, "*");
        } else {
            throw notFound(exchange);
        }
    }

    /** {@code /v1/internal/...}: peer-to-peer scatter/gather. */
    private void routeInternal(HttpExchange exchange, String method, List<String> rest) throws IOException {
        if (rest.size() == 1 && rest.get(0).equals("watermarks")) {
            allow(method, "GET");
            internal.watermarks(exchange);
        } else if (rest.size() == 3 && rest.get(0).equals("collections") && rest.get(2).equals("search")) {
            allow(method, "POST");
            internal.search(exchange, rest.get(1));
        } else if (rest.size() == 3 && rest.get(0).equals("collections") && rest.get(2).equals("stats")) {
            allow(method, "GET");
            internal.stats(exchange, rest.get(1));
        } else if (rest.size() == 3 && rest.get(0).equals("collections") && rest.get(2).equals("versions")) {
            allow(method, "POST");
            internal.versions(exchange, rest.get(1));
        } else if (rest.size() == 3 && rest.get(0).equals("collections") && rest.get(2).equals("digests")) {
            allow(method, "GET");
            internal.digests(exchange, rest.get(1));
        } else if (rest.size() == 3 && rest.get(0).equals("collections") && rest.get(2).equals("rows")) {
            allow(method, "POST");
            internal.rows(exchange, rest.get(1));
        } else {
            throw notFound(exchange);
        }
    }

    /** The method if allowed, else a 405 naming the allowed ones. */
    private static String allow(String method, String... allowed) {
        for (String m : allowed) {
            if (m.equals(method)) {
                return m;
            }
        }
        throw ApiException.methodNotAllowed(method, String.join(", ", allowed));
    }

    private static ApiException notFound(HttpExchange exchange) {
        return ApiException.notFound("not_found", "no such resource: " + exchange.getRequestMethod() + " "
                + exchange.getRequestURI().getRawPath());
    }

    /** Path segments, percent-decoded one by one (an id may contain an encoded '/'); no empty segments. */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                try {
                    out.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("invalid_path", "bad percent-encoding in path segment '" + raw + "'");
                }
            }
        }
        return out;
    }
}
