package io.ruvector.compose.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Both servers behind the API: Jetty through jetty-http-spi (on the classpath, it registers itself
 * as the JVM's provider of {@code HttpServer.create}) and the JDK's own, which must stay reachable
 * beside it.
 */
class HttpServersTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void shouldServeOnJettyWithOurThreadsOnAFreePortWithoutNamingItsVersion() throws Exception {
        HttpServer server = HttpApiServer.open(HttpServerKind.JETTY, ANY_PORT, 4, null, HttpServersTest::threadName);
        HttpResponse<String> answer = askOnceAndStop(server);
        assertThat(server.getClass().getName()).startsWith("org.eclipse.jetty");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).startsWith("ruvector-http");
        assertThat(answer.headers().firstValue("server")).isEmpty();
    }

    @Test
    void shouldServeOnTheJdksOwnServerAlthoughJettyIsAProviderOnTheClasspath() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "jdk-request"));
        try {
            HttpServer server = HttpApiServer.open(HttpServerKind.JDK, ANY_PORT, 1, pool, HttpServersTest::threadName);
            HttpResponse<String> answer = askOnceAndStop(server);
            assertThat(server.getClass().getModule().getName()).isEqualTo("jdk.httpserver");
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("jdk-request");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldNameTheAddressWhenEitherServerCannotBindIt() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress busy = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());
            for (HttpServerKind kind : HttpServerKind.values()) {
                java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
                try {
                    assertThatThrownBy(() -> HttpApiServer.open(kind, busy, 1, pool, HttpServersTest::threadName))
                            .as(kind.label()).isInstanceOf(java.io.UncheckedIOException.class)
                            .hasMessageStartingWith("cannot bind the HTTP API to " + busy);
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void shouldNameTheServerKindsAndRefuseOthers() {
        assertThat(HttpServerKind.parse(" Jetty ")).isEqualTo(HttpServerKind.JETTY);
        assertThat(HttpServerKind.parse("jdk")).isEqualTo(HttpServerKind.JDK);
        assertThatThrownBy(() -> HttpServerKind.parse("netty")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("http server must be jetty or jdk, was 'netty'");
        assertThat(new io.ruvector.compose.runtime.HttpSettings(null, 0, null).server()).isEqualTo(HttpServerKind.JETTY);
    }

    private static void threadName(com.sun.net.httpserver.HttpExchange exchange) throws java.io.IOException {
        byte[] body = Thread.currentThread().getName().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** Asks the started {@code server} once, then stops it. */
    private static HttpResponse<String> askOnceAndStop(HttpServer server) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            int port = server.getAddress().getPort();
            assertThat(port).isPositive();
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            server.stop(0);
        }
    }
}
