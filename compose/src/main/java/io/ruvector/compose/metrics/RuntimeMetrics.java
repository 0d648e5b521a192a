package io.ruvector.compose.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ruvector.cdc.engine.CaptureMetrics;
import io.ruvector.compose.runtime.IntegrityView;
import io.ruvector.schemas.IntegrityState;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime's meters in one Prometheus registry, scraped at {@code GET /metrics}: JVM and
 * process, the Kafka Streams client metrics of the index, the capture counters, search latency,
 * and whatever other parts bind ({@link #bind}). Names are documented in docs/metrics.md.
 */
public final class RuntimeMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> binders = new ArrayList<>();
    private final Timer search;
    private final io.micrometer.core.instrument.Counter failedOverSearches;

    public RuntimeMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
        search = Timer.builder("ruvector.search")
                .description("HTTP search requests answered, including the min_lsn wait")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        failedOverSearches = io.micrometer.core.instrument.Counter.builder("ruvector.search.failed.over")
                .description("HTTP searches of which a standby copy answered some partitions").register(registry);
    }

    /** One HTTP search answered partly by standby copies. */
    public void failedOverSearch() {
        failedOverSearches.increment();
    }

    /**
     * Standby reads of this instance's scatter/gathers ({@code ruvector_standby_partitions_served_total},
     * {@code ruvector_failover_gathers_total}) and its own standby copies ({@code ruvector_standby_copies},
     * {@code ruvector_standby_lag_records}: the largest lag among them).
     */
    public void bindFailover(io.ruvector.index.cluster.ClusterQueries cluster, io.ruvector.index.cluster.LocalStandbys standbys) {
        FunctionCounter.builder("ruvector.standby.partitions.served", cluster,
                        io.ruvector.index.cluster.ClusterQueries::standbyPartitionsServed)
                .description("partition answers served by a standby copy because the active instance could not").register(registry);
        FunctionCounter.builder("ruvector.failover.gathers", cluster, io.ruvector.index.cluster.ClusterQueries::failedOverGathers)
                .description("scatter/gathers (searches, lookups, stats) that a standby copy answered in part").register(registry);
        Gauge.builder("ruvector.standby.copies", standbys, s -> s.snapshot().size())
                .description("standby copies of index partitions this instance keeps").register(registry);
        Gauge.builder("ruvector.standby.lag.records", standbys, s -> s.snapshot().values().stream()
                        .mapToLong(Long::longValue).max().orElse(0))
                .description("records the furthest-behind standby copy here has not applied (-1: no batch yet)")
                .register(registry);
    }

    /**
     * {@code ruvector_ready} (1 when {@code /health/ready} would answer 200) and
     * {@code ruvector_index_lag_records} (records the local index partitions are behind).
     */
    public void bindHealth(java.util.function.Supplier<io.ruvector.compose.runtime.health.HealthReport> health) {
        Gauge.builder("ruvector.ready", health, h -> h.get().ready() ? 1 : 0)
                .description("1 when this instance is ready: searches return complete answers").register(registry);
        Gauge.builder("ruvector.index.lag.records", health, h -> h.get().parts().stream()
                        .filter(p -> p.name().equals("index") && p.facts().get("lag_records") instanceof Number)
                        .mapToDouble(p -> ((Number) p.facts().get("lag_records")).doubleValue()).findFirst().orElse(Double.NaN))
                .description("records the index's local partitions are behind the vectors topic").register(registry);
    }

    /** Capture counters ({@code ruvector_capture_changes_total}, {@code ..._dead_letters_total}) and the last watermark. */
    public void bindCapture(CaptureMetrics capture) {
        FunctionCounter.builder("ruvector.capture.changes", capture, CaptureMetrics::accepted)
                .description("changes published to the vectors topic").register(registry);
        FunctionCounter.builder("ruvector.capture.dead.letters", capture, CaptureMetrics::rejected)
                .description("changes rejected to the dead-letter topic").register(registry);
        Gauge.builder("ruvector.capture.watermark.lsn", capture, CaptureMetrics::watermark)
                .description("LSN of the last watermark emitted").register(registry);
    }

    /** The index application's Kafka Streams metrics ({@code kafka_stream_*}). */
    public void bindIndex(KafkaStreams streams) {
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        binders.add(metrics);
    }

    /**
     * Integrity gauges per collection (and tenant) as the state topic reports them:
     * {@code ruvector_integrity_state} (0 normal, 1 stress, 2 critical), {@code _lambda},
     * {@code _lambda_cut}, {@code _lambda2} (NaN when not computed), {@code _witness_edges};
     * registered when a scope first appears.
     */
    /**
     * Healing meters with the seed's names: per collection/strategy attempts, verified successes and
     * durations of the outcomes completed since this process started; per scope whether a
     * remediation is active, cooldown, enabled, 24 h success rate, mean improvement and time to
     * recovery; per strategy the learned weight. A daemon thread polls the engine's stores each second.
     */
    public void bindHealing(io.ruvector.healing.HealingService healing) {
        long since = System.currentTimeMillis();
        Thread.ofPlatform().daemon().name("ruvector-healing-meters").start(() -> {
            java.util.Set<String> counted = new java.util.HashSet<>();
            java.util.Set<String> bound = new java.util.HashSet<>();
            while (!registry.isClosed()) {
                try {
                    if (healing.isReady()) {
                        pollHealing(healing, since, counted, bound);
                    }
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the engine is rebalancing or closing: try again next second
                }
            }
        });
        for (String strategy : io.ruvector.schemas.healing.Strategies.ALL) {
            Gauge.builder("ruvector.healing.weight", healing, h -> h.isReady() ? h.effectiveness().weight(strategy) : Double.NaN)
                    .description("learned strategy weight, 0.1..2.0 (1.0 with nothing learned)")
                    .tag("strategy", strategy).register(registry);
        }
    }

    private void pollHealing(io.ruvector.healing.HealingService healing, long since, java.util.Set<String> counted,
                             java.util.Set<String> bound) {
        for (io.ruvector.schemas.HealingOutcome o : healing.allOutcomes()) {
            if (o.getCompletedAtMillis() < since || o.getDryRun() || !counted.add(o.getOutcomeId())) {
                continue;
            }
            io.micrometer.core.instrument.Tags tags = io.micrometer.core.instrument.Tags.of("collection", o.getCollection(),
                    "strategy", o.getStrategy());
            registry.counter("ruvector.healing.attempts", tags).increment();
            if (o.getVerified()) {
                registry.counter("ruvector.healing.success", tags).increment();
            }
            Timer.builder("ruvector.healing.duration").tags(tags).publishPercentiles(0.5, 0.99).register(registry)
                    .record(Duration.ofMillis(o.getDurationMillis()));
        }
        for (String scope : healing.scopes()) {
            if (bound.add(scope)) {
                int slash = scope.indexOf('/');
                String collection = slash < 0 ? scope : scope.substring(0, slash);
                String tenant = slash < 0 ? null : scope.substring(slash + 1);
                bindHealingScope(healing, collection, tenant);
            }
        }
    }

    private void bindHealingScope(io.ruvector.healing.HealingService healing, String collection, String tenant) {
        io.micrometer.core.instrument.Tags tags = io.micrometer.core.instrument.Tags.of("collection", collection,
                "tenant", tenant == null ? "" : tenant);
        java.util.function.Function<java.util.function.ToDoubleFunction<io.ruvector.healing.HealingStatus>,
                java.util.function.ToDoubleFunction<io.ruvector.healing.HealingService>> of =
                f -> h -> h.isReady() ? f.applyAsDouble(h.status(collection, tenant)) : Double.NaN;
        Gauge.builder("ruvector.healing.active", healing, of.apply(s -> s.active() == null ? 0 : 1))
                .description("1 while a remediation is in flight").tags(tags).register(registry);
        Gauge.builder("ruvector.healing.cooldown", healing, of.apply(s -> s.cooldownUntilMillis() > 0 ? 1 : 0))
                .description("1 while the minimum interval between attempts runs").tags(tags).register(registry);
        Gauge.builder("ruvector.healing.enabled", healing, of.apply(s -> s.settings().enabled() && !s.suspended() ? 1 : 0))
                .description("1 when self-healing may act (enabled and not suspended)").tags(tags).register(registry);
        Gauge.builder("ruvector.healing.success.rate", healing, of.apply(io.ruvector.healing.HealingStatus::successRate24h))
                .description("verified share of the last 24 h's remediations (1 with none)").tags(tags).register(registry);
        Gauge.builder("ruvector.healing.avg.improvement", healing, h -> h.isReady()
                        ? h.history(collection, tenant, System.currentTimeMillis() - 86_400_000L, Integer.MAX_VALUE).stream()
                        .filter(o -> !o.getDryRun()).mapToDouble(io.ruvector.schemas.HealingOutcome::getImprovement)
                        .average().orElse(0) : Double.NaN)
                .description("mean relative λ improvement of the last 24 h's remediations").tags(tags).register(registry);
        Gauge.builder("ruvector.healing.time.to.recovery", healing, h -> h.isReady()
                        ? h.history(collection, tenant, System.currentTimeMillis() - 86_400_000L, Integer.MAX_VALUE).stream()
                        .filter(io.ruvector.schemas.HealingOutcome::getVerified)
                        .mapToDouble(o -> o.getDurationMillis() / 1000.0).average().orElse(0) : Double.NaN)
                .baseUnit("seconds").description("mean duration of the last 24 h's verified remediations")
                .tags(tags).register(registry);
    }

    public void bindIntegrity(IntegrityView view) {
        Thread.ofPlatform().daemon().name("ruvector-integrity-meters").start(() -> {
            java.util.Set<String> bound = new java.util.HashSet<>();
            while (!registry.isClosed()) {
                for (IntegrityState state : view.all()) {
                    if (bound.add(state.getScope())) {
                        bindScope(view, state.getCollection(), state.getTenant());
                    }
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private void bindScope(IntegrityView view, String collection, String tenant) {
        io.micrometer.core.instrument.Tags tags = io.micrometer.core.instrument.Tags.of("collection", collection,
                "tenant", tenant == null ? "" : tenant);
        java.util.function.Function<java.util.function.ToDoubleFunction<IntegrityState>, java.util.function.ToDoubleFunction<IntegrityView>> of =
                f -> v -> v.state(collection, tenant).map(f::applyAsDouble).orElse(Double.NaN);
        Gauge.builder("ruvector.integrity.state", view, of.apply(s -> IntegrityView.ordinal(s.getState())))
                .description("integrity state: 0 normal, 1 stress, 2 critical").tags(tags).register(registry);
        Gauge.builder("ruvector.integrity.lambda", view, of.apply(IntegrityState::getLambda))
                .description("normalised min cut, 0..1").tags(tags).register(registry);
        Gauge.builder("ruvector.integrity.lambda.cut", view, of.apply(IntegrityState::getLambdaCut))
                .description("global min cut of the contracted graph").tags(tags).register(registry);
        Gauge.builder("ruvector.integrity.lambda2", view, of.apply(s -> s.getLambda2() == null ? Double.NaN : s.getLambda2()))
                .description("Fiedler value of the weighted Laplacian (drift signal)").tags(tags).register(registry);
        Gauge.builder("ruvector.integrity.witness.edges", view, of.apply(s -> s.getWitnessEdges().size()))
                .description("edges crossing the min cut").tags(tags).register(registry);
        Gauge.builder("ruvector.integrity.graph.nodes", view, of.apply(IntegrityState::getNodeCount))
                .description("nodes of the contracted graph").tags(tags).register(registry);
    }

    /** Lets another part register its meters. */
    public void bind(MeterBinder binder) {
        binder.bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Time of one HTTP search. */
    public Timer searchTimer() {
        return search;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception ignored) {
                // closing meters must not stop the runtime's shutdown
            }
        }
        registry.close();
    }
}
