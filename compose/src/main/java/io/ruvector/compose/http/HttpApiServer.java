package io.ruvector.compose.http;

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
 * The HTTP/JSON API of a runtime (docs/api.md) on the JDK's {@link HttpServer}: collections,
 * search with read-your-writes, stats. Binds 127.0.0.1 unless told otherwise: the API has no
 * authentication, so exposing it is an explicit choice.
 *
 * <p>Requests run on a fixed pool (a {@code min_lsn} wait holds its thread for up to
 * {@code timeout_ms}); bodies over {@link #DEFAULT_MAX_BODY_BYTES} are refused with 413.
 * {@link #close()} is idempotent and leaves the runtime running.
 */
public final class HttpApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);

    /** 16 MiB: a 10000-dimension vector in JSON is well under 1 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;

    private final HttpServer server;
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
        return start(runtime, address, DEFAULT_MAX_BODY_BYTES, Math.max(8, 2 * Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @param maxBodyBytes larger request bodies are answered 413
     * @param threads      concurrent requests served; more wait in the accept queue
     */
    public static HttpApiServer start(EmbeddedRuntime runtime, InetSocketAddress address, long maxBodyBytes, int threads) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(address, "address");
        if (maxBodyBytes < 1 || threads < 1) {
            throw new IllegalArgumentException("maxBodyBytes and threads must be positive, got " + maxBodyBytes + ", " + threads);
        }
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the HTTP API to " + address + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(threads, daemonThreads());
        ApiRouter router = new ApiRouter(runtime, maxBodyBytes);
        server.createContext("/", router);
        server.setExecutor(executor);
        server.start();
        HttpApiServer api = new HttpApiServer(server, executor, router);
        LOG.info("HTTP API listening on http://{}:{}/v1", address.getHostString(), api.port());
        return api;
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
        executor.shutdownNow();
        router.close();
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
