package io.ruvector.compose.runtime;

import io.ruvector.compose.runtime.health.HealthReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Says on the console when the runtime becomes ready (one line), and afterwards when it stays not
 * ready, or comes back, for longer than a rebalance takes: a person watching {@code ./ruvector run}
 * sees the state changes that matter, not every rebalance.
 */
final class ReadinessLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.ruvector.ready");

    private static final long POLL_MILLIS = 250;
    /** A change after the first ready is reported once it has held this long. */
    private static final long HOLD_MILLIS = 10_000;

    private final Supplier<HealthReport> health;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ruvector-readiness").factory());
    private boolean everReady;
    private boolean reported; // the state last logged (after the first ready)
    private long changedAtMillis = -1;

    ReadinessLog(Supplier<HealthReport> health) {
        this.health = health;
    }

    ReadinessLog start() {
        poller.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void poll() {
        try {
            HealthReport report = health.get();
            boolean ready = report.ready();
            if (!everReady) {
                if (ready) {
                    everReady = true;
                    reported = true;
                    LOG.info("ready in {} s: searches return complete answers", String.format("%.1f", report.uptimeMillis() / 1000.0));
                }
                return;
            }
            long now = System.currentTimeMillis();
            if (ready == reported) {
                changedAtMillis = -1;
                return;
            }
            if (changedAtMillis < 0) {
                changedAtMillis = now;
            } else if (now - changedAtMillis >= HOLD_MILLIS) {
                reported = ready;
                changedAtMillis = -1;
                if (ready) {
                    LOG.info("ready again");
                } else {
                    LOG.warn("not ready for {} s: {}", HOLD_MILLIS / 1000, report.firstProblem());
                }
            }
        } catch (RuntimeException e) { // a part closing under us: the next poll sees it
            LOG.debug("readiness poll failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
