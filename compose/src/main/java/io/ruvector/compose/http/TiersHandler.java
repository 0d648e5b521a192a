package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.index.store.Tiering;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.TierPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/collections/{name}/tiers}: the collection's tier policy and where its rows are now
 * (GET), set the policy (PUT, the migration guide's {@code ruvector_set_tiers}), remove it (DELETE).
 */
final class TiersHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TiersHandler.class);
    private static final double MAX_HOURS = 24 * 365 * 100;

    /** Body of PUT: idle hours (fractions allowed); absent ones take the guide's 24, 168 and 720. */
    record TiersBody(Double hotHours, Double warmHours, Double coldHours) {
    }

    record PolicyView(double hotHours, double warmHours, double coldHours) {
        static PolicyView of(TierPolicy policy) {
            return policy == null ? null : new PolicyView(policy.getHotSeconds() / 3600.0,
                    policy.getWarmSeconds() / 3600.0, policy.getColdSeconds() / 3600.0);
        }
    }

    /** Where the rows are: hot ones as float32, warm ones as int8 codes re-scored from the store. */
    record TiersView(String collection, PolicyView policy, long rows, long hotRows, long warmRows, long vectorBytes,
                     Map<String, String> representation) {
    }

    static final Map<String, String> REPRESENTATION = Map.of(
            "hot", "float32",
            "warm", "int8 codes (1 byte per dimension), re-scored at full precision from the store",
            "cool", "held as warm: no denser code (product quantisation) is built",
            "cold", "held as warm: no denser code (product quantisation) is built");

    private final CollectionsHandler collections;
    private final StatsHandler stats;
    private final EmbeddedRuntime runtime;
    private final long maxBodyBytes;

    TiersHandler(CollectionsHandler collections, StatsHandler stats, EmbeddedRuntime runtime, long maxBodyBytes) {
        this.collections = Objects.requireNonNull(collections, "collections");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.maxBodyBytes = maxBodyBytes;
    }

    void get(HttpExchange exchange, String name) throws IOException, InterruptedException {
        Exchanges.send(exchange, 200, view(collections.require(name)));
    }

    void put(HttpExchange exchange, String name) throws IOException, InterruptedException {
        CollectionSpec spec = collections.require(name);
        TiersBody body = Exchanges.readBody(exchange, TiersBody.class, maxBodyBytes);
        TierPolicy policy = policy(body);
        CollectionSpec updated = store(spec, policy);
        LOG.info("collection {}: tiers set to hot {} h, warm {} h, cold {} h", name, policy.getHotSeconds() / 3600.0,
                policy.getWarmSeconds() / 3600.0, policy.getColdSeconds() / 3600.0);
        Exchanges.send(exchange, 200, view(updated));
    }

    void delete(HttpExchange exchange, String name) throws IOException, InterruptedException {
        CollectionSpec updated = store(collections.require(name), null);
        LOG.info("collection {}: tier policy removed", name);
        Exchanges.send(exchange, 200, view(updated));
    }

    private CollectionSpec store(CollectionSpec spec, TierPolicy policy) throws InterruptedException {
        CollectionsHandler.requireCapture(runtime, "set tiers");
        return runtime.setTiers(spec.getName(), policy);
    }

    /** The policy of {@code body}, in seconds; a 400 naming the problem when {@link Tiering} refuses it. */
    static TierPolicy policy(TiersBody body) {
        double hot = hours(body.hotHours(), 24, "hot_hours");
        double warm = hours(body.warmHours(), 168, "warm_hours");
        double cold = hours(body.coldHours(), 720, "cold_hours");
        Tiering tiering;
        try { // the index's own rules (hot at least 1 s, hot <= warm <= cold), on the rounded seconds it will hold
            tiering = new Tiering(Duration.ofSeconds(Math.round(hot * 3600)), Duration.ofSeconds(Math.round(warm * 3600)),
                    Duration.ofSeconds(Math.round(cold * 3600)));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_tiers", e.getMessage() + " (from hot_hours " + hot + ", warm_hours "
                    + warm + ", cold_hours " + cold + ")");
        }
        return new TierPolicy(tiering.hot().toSeconds(), tiering.warm().toSeconds(), tiering.cold().toSeconds());
    }

    private static double hours(Double value, double otherwise, String name) {
        if (value == null) {
            return otherwise;
        }
        if (value.isNaN() || value <= 0 || value > MAX_HOURS) {
            throw ApiException.badRequest("invalid_tiers", name + " must be a number of hours in (0, " + (long) MAX_HOURS
                    + "], got " + value);
        }
        return value;
    }

    private TiersView view(CollectionSpec spec) throws InterruptedException {
        long rows = 0;
        long warm = 0;
        long bytes = 0;
        for (CollectionStats s : stats.gather(spec.getName()).values()) {
            rows += s.liveRows();
            warm += s.coldRows();
            bytes += s.vectorBytes();
        }
        return new TiersView(spec.getName(), PolicyView.of(spec.getTiers()), rows, rows - warm, warm, bytes, REPRESENTATION);
    }
}
