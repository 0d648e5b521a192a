package io.ruvector.compose.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ruvector.cdc.engine.PgConnectionSettings;
import io.ruvector.compose.pgvector.FilterSql;
import io.ruvector.compose.pgvector.PgKnn;
import io.ruvector.compose.pgvector.PgKnn.Neighbour;
import io.ruvector.compose.pgvector.PgTarget;
import io.ruvector.compose.pgvector.Recall;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.ShadowCompare;
import io.ruvector.schemas.ShadowPolicy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow reads, the migration guide's gradual cut-over with evidence: for the share of searches a
 * collection's {@link ShadowPolicy} names, the same query is also asked of PostgreSQL and the
 * overlap@k of the two answers recorded (metrics {@code ruvector_shadow_*}, and the newest
 * mismatches for {@code GET /v1/collections/{name}/shadow}). The answer the client gets is never
 * changed or delayed: {@link #offer} only hands the query to a bounded pool
 * ({@link ShadowSettings}) and drops it, counted, when the pool is full; the pool keeps
 * PostgreSQL busy for at most {@link ShadowSettings#postgresShare()} of its time, so a share of
 * 100 % is a ceiling, not a promise.
 */
public final class ShadowReads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShadowReads.class);

    private final PgConnectionSettings pg;
    private final Function<String, ShadowPolicy> policies;
    private final MeterRegistry meters;
    private final ShadowSettings settings;
    private final ThreadPoolExecutor pool;
    private final Map<String, ShadowStats> stats = new ConcurrentHashMap<>();
    /** Each pool thread's connections, by collection, table and comparison; all of them, to close. */
    private final ThreadLocal<Map<String, PgKnn>> connections = ThreadLocal.withInitial(HashMap::new);
    private final Set<PgKnn> open = ConcurrentHashMap.newKeySet();

    /**
     * @param policies a collection's current policy (null when off or unknown): a query still
     *                 queued when its collection's shadow reads are turned off is not run
     */
    public ShadowReads(PgConnectionSettings pg, MeterRegistry meters, ShadowSettings settings,
                       Function<String, ShadowPolicy> policies) {
        this.policies = Objects.requireNonNull(policies, "policies");
        this.pg = Objects.requireNonNull(pg, "pg");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.settings = Objects.requireNonNull(settings, "settings");
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.queue()), r -> {
                    Thread t = new Thread(r, "ruvector-shadow-" + n.incrementAndGet());
                    t.setDaemon(true);
                    t.setPriority(Thread.MIN_PRIORITY); // the answers on the request path come first
                    return t;
                });
    }

    /**
     * Shadows this search if the collection's policy draws it: returns at once either way.
     *
     * @param filter      the request's filter as the client sent it (null for none)
     * @param indexNanos  how long the index took to answer
     * @return whether the query was queued for PostgreSQL
     */
    public boolean offer(CollectionSpec spec, KnnRequest request, JsonNode filter, List<KnnHit> hits, long indexNanos) {
        ShadowPolicy policy = spec.getShadow();
        if (policy == null || policy.getPercent() <= 0
                || (policy.getPercent() < 100 && ThreadLocalRandom.current().nextDouble() * 100 >= policy.getPercent())) {
            return false;
        }
        ShadowStats collection = stats(spec.getName());
        List<Neighbour> ours = hits.stream().map(h -> new Neighbour(h.id(), h.distance())).toList();
        try {
            pool.execute(() -> shadow(spec, policy.getCompare(), request, filter, ours, indexNanos, collection));
            return true;
        } catch (RejectedExecutionException e) {
            collection.dropped();
            counter("ruvector.shadow.dropped", spec.getName(), "shadow queries dropped: the pool was full").increment();
            return false;
        }
    }

    /** Shadow queries waiting for a thread now, all collections. */
    public int queued() {
        return pool.getQueue().size();
    }

    /** This instance's shadow statistics of {@code collection}. */
    public ShadowStats.View view(String collection) {
        return stats(collection).view();
    }

    private ShadowStats stats(String collection) {
        return stats.computeIfAbsent(collection, c -> new ShadowStats(settings.kept()));
    }

    private void shadow(CollectionSpec spec, ShadowCompare compare, KnnRequest request, JsonNode filter,
                        List<Neighbour> ours, long indexNanos, ShadowStats collection) {
        ShadowPolicy now = policies.apply(spec.getName());
        if (now == null || now.getPercent() <= 0) {
            return; // turned off since: a sample not taken
        }
        String metric = request.metric().name().toLowerCase(Locale.ROOT);
        String key = spec.getName() + "\u0000" + spec.getTable() + "\u0000" + compare + "\u0000" + metric;
        Map<String, PgKnn> mine = connections.get();
        try {
            PgKnn knn = mine.get(key);
            if (knn == null) {
                knn = open(spec, compare, metric);
                mine.put(key, knn);
                open.add(knn);
            }
            long start = System.nanoTime();
            List<Neighbour> theirs = knn.search(request.vector(), request.k(),
                    FilterSql.of(filter, spec.getTenantColumn(), request.tenant()));
            long postgresNanos = System.nanoTime() - start;
            double overlap = Recall.atK(theirs, ours, request.k());
            ShadowStats.Mismatch mismatch = overlap < 1 ? mismatch(request, overlap, ours, theirs, indexNanos, postgresNanos)
                    : null;
            collection.record(overlap, indexNanos / 1e6, postgresNanos / 1e6, mismatch);
            String name = spec.getName();
            counter("ruvector.shadow.queries", name, "searches also asked of PostgreSQL").increment();
            if (mismatch != null) {
                counter("ruvector.shadow.mismatches", name, "shadowed searches whose top-k differed from PostgreSQL's")
                        .increment();
            }
            DistributionSummary.builder("ruvector.shadow.overlap").description("overlap@k with PostgreSQL's answer, 0..1")
                    .tag("collection", name).register(meters).record(overlap);
            Timer.builder("ruvector.shadow.index").description("the index's time for the shadowed searches")
                    .tag("collection", name).register(meters).record(indexNanos, TimeUnit.NANOSECONDS);
            Timer.builder("ruvector.shadow.postgres").description("PostgreSQL's time for the same searches")
                    .tag("collection", name).register(meters).record(postgresNanos, TimeUnit.NANOSECONDS);
            rest(postgresNanos);
        } catch (SQLException | RuntimeException e) {
            PgKnn broken = mine.remove(key);
            if (broken != null) {
                open.remove(broken);
                close(broken);
            }
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
            collection.error(message);
            counter("ruvector.shadow.errors", spec.getName(), "shadow queries PostgreSQL could not answer").increment();
            LOG.debug("shadow read of {} failed: {}", spec.getName(), message);
        }
    }

    /** Keeps this thread's share of PostgreSQL's time at {@link ShadowSettings#postgresShare()}. */
    private void rest(long postgresNanos) {
        long pause = (long) (postgresNanos * (1 / settings.postgresShare() - 1));
        if (pause > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closing: the pool is shut down
            }
        }
    }

    private PgKnn open(CollectionSpec spec, ShadowCompare compare, String metric) throws SQLException {
        PgTarget target;
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.jdbcProperties())) {
            target = PgTarget.describe(c, spec.getTable(), spec.getIdColumn(), spec.getVectorColumn(), spec.getDimensions(),
                    spec.getTenantColumn(), spec.getMetadataColumns());
        }
        return PgKnn.open(pg, target, metric, compare == ShadowCompare.INDEXED ? PgKnn.Mode.INDEXED : PgKnn.Mode.EXACT,
                PgKnn.IndexSettings.SERVER, true); // serial: the budget below counts one core
    }

    private static ShadowStats.Mismatch mismatch(KnnRequest request, double overlap, List<Neighbour> ours,
                                                 List<Neighbour> theirs, long indexNanos, long postgresNanos) {
        Set<String> ourIds = new HashSet<>();
        ours.forEach(n -> ourIds.add(n.id()));
        Set<String> theirIds = new HashSet<>();
        theirs.forEach(n -> theirIds.add(n.id()));
        List<String> missing = new ArrayList<>();
        theirs.stream().map(Neighbour::id).filter(id -> !ourIds.contains(id)).forEach(missing::add);
        List<String> extra = new ArrayList<>();
        ours.stream().map(Neighbour::id).filter(id -> !theirIds.contains(id)).forEach(extra::add);
        return new ShadowStats.Mismatch(Instant.now().toString(), request.tenant(), request.k(), overlap, missing, extra,
                indexNanos / 1e6, postgresNanos / 1e6);
    }

    private Counter counter(String name, String collection, String description) {
        return Counter.builder(name).description(description).tag("collection", collection).register(meters);
    }

    private static void close(PgKnn knn) {
        try {
            knn.close();
        } catch (SQLException e) {
            LOG.debug("closing a shadow connection: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        open.forEach(ShadowReads::close);
        open.clear();
    }
}
