package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.health.HealthReport;
import io.ruvector.compose.runtime.health.PartHealth;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /health/live} and {@code GET /health/ready}: probes for a load balancer or an
 * orchestrator. Live is 200 unless a part has stopped for good; ready is 200 only when searches
 * return complete answers and the capture runs where this instance captures, else 503 with
 * {@code Retry-After} and every part's condition in the body.
 */
final class HealthHandler {

    /** One part in the body; {@code facts} holds numbers such as the index's lag. */
    record PartView(String condition, boolean required, String detail, Map<String, Object> facts) {
    }

    record HealthView(String status, long uptimeMs, Map<String, PartView> parts) {
    }

    static final int RETRY_AFTER_SECONDS = 1;

    private final EmbeddedRuntime runtime;

    HealthHandler(EmbeddedRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    void live(HttpExchange exchange) throws IOException {
        HealthReport report = runtime.health();
        send(exchange, report, report.live());
    }

    void ready(HttpExchange exchange) throws IOException {
        HealthReport report = runtime.health();
        send(exchange, report, report.ready());
    }

    private static void send(HttpExchange exchange, HealthReport report, boolean ok) throws IOException {
        Map<String, PartView> parts = new LinkedHashMap<>();
        for (PartHealth part : report.parts()) {
            parts.put(part.name(), new PartView(part.condition().name().toLowerCase(Locale.ROOT), part.required(),
                    part.detail(), part.facts()));
        }
        if (!ok) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        // a probe's answer is about this moment: never cached
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        Exchanges.send(exchange, ok ? 200 : 503, new HealthView(report.status(), report.uptimeMillis(), parts));
    }
}
