package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP/JSON API of a runtime (docs/api.md) behind the JDK's {@link HttpServer} API, served by
 * Jetty or by the JDK's own server ({@link HttpServerKind}): collections, search with
 * read-your-writes, stats. Binds 127.0.0.1 unless told otherwise: the API has no
 * authentication, so exposing it is an explicit choice.
 *
 * <p>At most {@link #DEFAULT_THREADS} requests run at once (a {@code min_lsn} wait holds its
 * thread for up to {@code timeout_ms}); bodies over {@link #DEFAULT_MAX_BODY_BYTES} are refused with 413.
 * {@link #close()} is idempotent and leaves the runtime running.
 */
public final class HttpApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);

    /** 16 MiB: a 10000-dimension vector in JSON is well under 1 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;

    /** Requests served at once: a {@code min_lsn} wait holds its thread. */
    public static final int DEFAULT_THREADS = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());

    private static final String PROVIDER_PROPERTY = "com.sun.net.httpserver.HttpServerProvider";
    private static final String JDK_PROVIDER = "sun.net.httpserver.DefaultHttpServerProvider";

    private final HttpServer server;
    /** The JDK server's request pool; Jetty runs requests on its own thread pool. */
    private final ExecutorService executor;
    private final ApiRouter router;
    private boolean closed;

    private HttpApiServer(HttpServer server, ExecutorService executor, ApiRouter router) {
        this.router = router;
        this.server = server;
        this.executor = executor;
    }

    /** Serves on 127.0.0.1:{@code port} ({@code 0}: a free port, see {@link #port()}). */
    public static HttpApiServer start(EmbeddedRuntime runtime, int port) {
        return start(runtime, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Serves on {@code address} (e.g. {@code 0.0.0.0:8080} to accept remote clients). */
    public static HttpApiServer start(EmbeddedRuntime runtime, InetSocketAddress address) {
        return start(runtime, address, HttpServerKind.JETTY);
    }

    /** Serves on {@code address} with the server {@code kind}. */
    public static HttpApiServer start(EmbeddedRuntime runtime, InetSocketAddress address, HttpServerKind kind) {
        return start(runtime, address, DEFAULT_MAX_BODY_BYTES, DEFAULT_THREADS, kind);
    }

    /**
     * @param maxBodyBytes larger request bodies are answered 413
     * @param threads      concurrent requests served; more wait in the accept queue
     */
    public static HttpApiServer start(EmbeddedRuntime runtime, InetSocketAddress address, long maxBodyBytes, int threads,
                                      HttpServerKind kind) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(kind, "kind");
        if (maxBodyBytes < 1 || threads < 1) {
            throw new IllegalArgumentException("maxBodyBytes and threads must be positive, got " + maxBodyBytes + ", " + threads);
        }
        ExecutorService executor = kind == HttpServerKind.JDK ? Executors.newFixedThreadPool(threads, daemonThreads()) : null;
        ApiRouter router = new ApiRouter(runtime, maxBodyBytes);
        HttpServer server;
        try {
            server = open(kind, address, threads, executor, router);
        } catch (RuntimeException e) {
            if (executor != null) {
                executor.shutdownNow();
            }
            router.close();
            throw e;
        }
        HttpApiServer api = new HttpApiServer(server, executor, router);
        LOG.info("HTTP API listening on http://{}:{}/v1 ({})", address.getHostString(), api.port(), kind.label());
        return api;
    }

    /**
     * A started server of {@code kind} on {@code address} whose every path goes to {@code handler};
     * requests run on {@code executor} (the JDK's server) or on Jetty's own pool of {@code threads}.
     *
     * @throws UncheckedIOException naming the address when it cannot be bound
     */
    static HttpServer open(HttpServerKind kind, InetSocketAddress address, int threads, ExecutorService executor,
                           HttpHandler handler) {
        HttpServer server;
        try {
            server = kind == HttpServerKind.JDK ? jdkServer(address) : JettyServers.create(address, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the HTTP API to " + address + ": " + e.getMessage(), e);
        }
        server.createContext("/", handler);
        if (kind == HttpServerKind.JDK) { // Jetty runs requests on its own pool
            server.setExecutor(executor);
        }
        try {
            server.start();
        } catch (RuntimeException e) { // Jetty opens its port here, and wraps a failure to bind
            server.stop(0);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new UncheckedIOException("cannot bind the HTTP API to " + address + ": " + cause.getMessage(),
                    cause instanceof IOException io ? io : new IOException(cause));
        }
        return server;
    }

    /**
     * The JDK's own server. {@link HttpServer#create} takes the first provider it finds, and
     * jetty-http-spi registers one as a service, so the JDK's is named as the JVM's provider
     * before the first create; if another create came first and installed another, say so.
     */
    static HttpServer jdkServer(InetSocketAddress address) throws IOException {
        System.getProperties().putIfAbsent(PROVIDER_PROPERTY, JDK_PROVIDER);
        HttpServer server = HttpServer.create(address, 0);
        if (!"jdk.httpserver".equals(server.getClass().getModule().getName())) {
            server.stop(0);
            throw new IllegalStateException("the JDK's HTTP server is not available in this JVM: "
                    + server.getClass().getName() + " was installed as its HTTP server provider first (set -D"
                    + PROVIDER_PROPERTY + "=" + JDK_PROVIDER + ", or use the jetty server)");
        }
        return server;
    }

    /** The bound port (the chosen one when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        router.close();
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("HTTP API requests still running after 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "ruvector-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
