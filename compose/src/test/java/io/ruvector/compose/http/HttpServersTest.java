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
        HttpServer server = JettyServers.create(ANY_PORT, 4);
        HttpResponse<String> answer = serveOnce(server);
        assertThat(server.getClass().getName()).startsWith("org.eclipse.jetty");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).startsWith("ruvector-http");
        assertThat(answer.headers().firstValue("server")).isEmpty();
    }

    @Test
    void shouldServeOnTheJdksOwnServerAlthoughJettyIsAProviderOnTheClasspath() throws Exception {
        HttpServer server = HttpApiServer.jdkServer(ANY_PORT);
        server.setExecutor(command -> new Thread(command, "jdk-request").start());
        HttpResponse<String> answer = serveOnce(server);
        assertThat(server.getClass().getModule().getName()).isEqualTo("jdk.httpserver");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("jdk-request");
    }

    @Test
    void shouldNameTheServerKindsAndRefuseOthers() {
        assertThat(HttpServerKind.parse(" Jetty ")).isEqualTo(HttpServerKind.JETTY);
        assertThat(HttpServerKind.parse("jdk")).isEqualTo(HttpServerKind.JDK);
        assertThatThrownBy(() -> HttpServerKind.parse("netty")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("http server must be jetty or jdk, was 'netty'");
        assertThat(new io.ruvector.compose.runtime.HttpSettings(null, 0, null).server()).isEqualTo(HttpServerKind.JETTY);
    }

    /** Starts {@code server} with a handler that answers its thread's name, asks it once, stops it. */
    private static HttpResponse<String> serveOnce(HttpServer server) throws Exception {
        server.createContext("/", exchange -> {
            byte[] body = Thread.currentThread().getName().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
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
