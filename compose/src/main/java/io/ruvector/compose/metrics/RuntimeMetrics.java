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
