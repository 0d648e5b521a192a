package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** A Jetty server behind the JDK's server API (jetty-http-spi), with a thread pool of our naming and size. */
final class JettyServers {

    /** Jetty's own threads beside the request threads: an acceptor and the selectors. */
    private static final int CONNECTOR_THREADS = 8;

    private JettyServers() {
    }

    /** Bound to {@code address}, not started; {@code threads} requests are served at once. */
    static HttpServer create(InetSocketAddress address, int threads) throws IOException {
        QueuedThreadPool pool = new QueuedThreadPool(threads + CONNECTOR_THREADS, Math.min(4, threads));
        pool.setName("ruvector-http");
        pool.setDaemon(true);
        Server server = new Server(pool);
        server.setHandler(new ContextHandlerCollection()); // where jetty-http-spi adds its contexts
        server.setStopTimeout(0); // stop(0): no graceful drain, as the JDK server's stop(0)
        JettyHttpServer jetty = new JettyHttpServer(server, false);
        jetty.bind(address, 0);
        for (Connector connector : server.getConnectors()) { // the connector bind made: no version in answers
            HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
                http.getHttpConfiguration().setSendServerVersion(false);
            }
        }
        return jetty;
    }
}
