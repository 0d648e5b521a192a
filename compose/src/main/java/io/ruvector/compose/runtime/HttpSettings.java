package io.ruvector.compose.runtime;

import io.ruvector.compose.http.HttpServerKind;
import io.ruvector.compose.shadow.ShadowSettings;
import java.util.Objects;

/**
 * Where the runtime serves its HTTP API, and how other instances reach it.
 *
 * @param bindHost       interface to bind, default {@code 127.0.0.1} (the API has no authentication)
 * @param port           port to bind, {@code 0} = any free port
 * @param advertisedHost the host other instances use to reach this one (Kafka Streams'
 *                       {@code application.server}); defaults to {@code bindHost}, or
 *                       {@code 127.0.0.1} when binding every interface
 * @param shadow         bounds of the shadow reads the API's searches feed; null = {@link ShadowSettings#DEFAULT}
 * @param server         the server that carries the API; null = {@link HttpServerKind#JETTY}
 */
public record HttpSettings(String bindHost, int port, String advertisedHost, ShadowSettings shadow, HttpServerKind server) {

    public HttpSettings {
        bindHost = bindHost == null || bindHost.isBlank() ? "127.0.0.1" : bindHost;
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("HTTP port must be in [0, 65535], got " + port);
        }
        advertisedHost = advertisedHost == null || advertisedHost.isBlank()
                ? (bindHost.equals("0.0.0.0") ? "127.0.0.1" : bindHost) : advertisedHost;
        shadow = shadow == null ? ShadowSettings.DEFAULT : shadow;
        server = server == null ? HttpServerKind.JETTY : server;
    }

    public HttpSettings(String bindHost, int port, String advertisedHost) {
        this(bindHost, port, advertisedHost, null, null);
    }

    /** 127.0.0.1:{@code port}. */
    public static HttpSettings loopback(int port) {
        return new HttpSettings(null, port, null);
    }

    @Override
    public String toString() {
        return Objects.toString(bindHost) + ":" + port;
    }
}
