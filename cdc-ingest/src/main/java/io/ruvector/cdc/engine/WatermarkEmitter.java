package io.ruvector.cdc.engine;

import io.ruvector.cdc.normalise.ChangeNormaliser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes a non-transactional logical decoding message ({@code pg_logical_emit_message}) to the
 * WAL at a fixed interval. Its arrival through the slot proves that every transaction committed
 * before it has been streamed, so watermarks advance (and read-your-writes completes) even when
 * the captured tables are idle; it also lets the slot's confirmed position follow the WAL.
 */
final class WatermarkEmitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatermarkEmitter.class);

    private final PgConnectionSettings postgres;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    private final ReconnectingConnection connection;
    private Connection preparedOn;
    private PreparedStatement emit;
    private boolean warned;

    WatermarkEmitter(PgConnectionSettings postgres, Duration interval, String deployment) {
        this.postgres = postgres;
        this.connection = new ReconnectingConnection(postgres);
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ruvector-watermark-" + deployment);
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        timer.scheduleWithFixedDelay(this::emitOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void emitOnce() {
        try {
            Connection current = connection.get();
            if (current != preparedOn) {
                emit = current.prepareStatement("SELECT pg_logical_emit_message(false, ?, '')");
                emit.setString(1, ChangeNormaliser.WATERMARK_MESSAGE_PREFIX);
                preparedOn = current;
            }
            emit.execute();
            warned = false;
        } catch (SQLException e) {
            if (!warned) {
                LOG.warn("cannot write capture watermarks to {}:{} ({}); min_lsn waits may time out until it recovers",
                        postgres.host(), postgres.port(), e.getMessage());
                warned = true;
            }
            connection.reset();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.reset();
    }
}
