package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.shadow.ShadowReads;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.ShadowCompare;
import io.ruvector.schemas.ShadowPolicy;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/collections/{name}/shadow}: the collection's shadow-read policy and what this
 * instance's shadow reads found (GET), set the policy (PUT), turn it off (DELETE). The policy is
 * stored with the collection (every instance applies it); the statistics are this instance's.
 */
final class ShadowHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowHandler.class);

    /** Body of PUT: the share of searches to shadow, and against which answer of PostgreSQL. */
    record ShadowBody(Double percent, String compare) {
    }

    record PolicyView(double percent, String compare) {
        static PolicyView of(ShadowPolicy policy) {
            return policy == null ? null : new PolicyView(policy.getPercent(),
                    policy.getCompare().name().toLowerCase(Locale.ROOT));
        }
    }

    /** {@code queued}: shadow queries of all collections waiting for this instance's pool now. */
    record ShadowView(String collection, PolicyView policy, Object instance, int queued) {
    }

    private final CollectionsHandler collections;
    private final EmbeddedRuntime runtime;
    private final ShadowReads shadow;
    private final long maxBodyBytes;

    ShadowHandler(CollectionsHandler collections, EmbeddedRuntime runtime, ShadowReads shadow, long maxBodyBytes) {
        this.collections = Objects.requireNonNull(collections, "collections");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.shadow = Objects.requireNonNull(shadow, "shadow");
        this.maxBodyBytes = maxBodyBytes;
    }

    void get(HttpExchange exchange, String name) throws IOException {
        Exchanges.send(exchange, 200, view(collections.require(name)));
    }

    void put(HttpExchange exchange, String name) throws IOException, InterruptedException {
        CollectionSpec spec = collections.require(name);
        ShadowPolicy policy = policy(Exchanges.readBody(exchange, ShadowBody.class, maxBodyBytes));
        CollectionSpec updated = store(spec, policy);
        LOG.info("collection {}: shadow reads at {} % against PostgreSQL's {} answer", name, policy.getPercent(),
                policy.getCompare().name().toLowerCase(Locale.ROOT));
        Exchanges.send(exchange, 200, view(updated));
    }

    void delete(HttpExchange exchange, String name) throws IOException, InterruptedException {
        CollectionSpec updated = store(collections.require(name), null);
        LOG.info("collection {}: shadow reads off", name);
        Exchanges.send(exchange, 200, view(updated));
    }

    private CollectionSpec store(CollectionSpec spec, ShadowPolicy policy) throws InterruptedException {
        CollectionsHandler.requireCapture(runtime, "set shadow reads");
        return runtime.setShadow(spec.getName(), policy);
    }

    static ShadowPolicy policy(ShadowBody body) {
        if (body.percent() == null) {
            throw ApiException.badRequest("missing_field", "percent is required: the share of searches to shadow, 0..100");
        }
        double percent = body.percent();
        if (!(percent >= 0 && percent <= 100)) {
            throw ApiException.badRequest("invalid_shadow", "percent must be in 0..100, got " + percent);
        }
        ShadowCompare compare = switch (body.compare() == null ? "exact" : body.compare().toLowerCase(Locale.ROOT)) {
            case "exact" -> ShadowCompare.EXACT;
            case "indexed" -> ShadowCompare.INDEXED;
            default -> throw ApiException.badRequest("invalid_shadow", "compare must be exact (pgvector's exact answer) or "
                    + "indexed (the table's pgvector index, as your reads use it), got '" + body.compare() + "'");
        };
        return new ShadowPolicy(percent, compare);
    }

    private ShadowView view(CollectionSpec spec) {
        return new ShadowView(spec.getName(), PolicyView.of(spec.getShadow()), shadow.view(spec.getName()), shadow.queued());
    }
}
