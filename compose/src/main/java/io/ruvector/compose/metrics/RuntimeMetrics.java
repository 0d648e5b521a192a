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
