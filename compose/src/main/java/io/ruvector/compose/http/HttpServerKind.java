package io.ruvector.compose.http;

import java.util.Locale;

/**
 * Which server carries the HTTP API. Both run the same handlers through the JDK's
 * {@code com.sun.net.httpserver} API; Jetty implements it with its own connector (jetty-http-spi).
 */
public enum HttpServerKind {
    /** Jetty 12 behind the JDK's server API: the default (docs/benchmarks.md, "the HTTP server"). */
    JETTY,
    /** The JDK's built-in {@code com.sun.net.httpserver} server. */
    JDK;

    /** {@code jetty} or {@code jdk}, any case. */
    public static HttpServerKind parse(String text) {
        for (HttpServerKind kind : values()) {
            if (kind.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("http server must be jetty or jdk, was '" + text + "'");
    }

    /** The name settings and the CLI use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
