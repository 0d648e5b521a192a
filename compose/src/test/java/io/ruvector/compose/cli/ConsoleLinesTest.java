package io.ruvector.compose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

/**
 * What reaches the console of {@code run} and {@code demo}: the ready line, our warnings and
 * errors, a library's ERROR — except the ones a restart after a crash logs and recovers from, and
 * the ones our own lines report.
 */
class ConsoleLinesTest {

    private final LoggerContext context = new LoggerContext();
    private final ConsoleLog.ConsoleLines quiet = new ConsoleLog.ConsoleLines(false);

    @Test
    void shouldShowTheReadyLineOurWarningsAndLibraryErrorsOnly() {
        assertThat(decide("io.ruvector.ready", Level.INFO, "ready in 2.9 s", null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("io.ruvector.index.IndexService", Level.WARN, "x", null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("io.ruvector.index.IndexService", Level.INFO, "x", null)).isEqualTo(FilterReply.DENY);
        assertThat(decide("org.apache.kafka.clients.NetworkClient", Level.WARN, "x", null)).isEqualTo(FilterReply.DENY);
        assertThat(decide("org.apache.kafka.clients.NetworkClient", Level.ERROR, "x", null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(new ConsoleLog.ConsoleLines(true).decide(event("io.ruvector.index.IndexService", Level.INFO, "x", null)))
                .as("RUVECTOR_LOG_LEVEL set").isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldKeepTheErrorsARestartAfterACrashRecoversFromInTheFile() {
        assertThat(decide("org.apache.kafka.coordinator.common.runtime.CoordinatorRuntime", Level.ERROR,
                "[GroupCoordinator id=1] Failed to load metadata from __consumer_offsets-2 with epoch 0 due to Stopped loading",
                new org.apache.kafka.common.errors.NotLeaderOrFollowerException("not online"))).isEqualTo(FilterReply.DENY);
        assertThat(decide("org.apache.kafka.streams.processor.internals.TaskManager", Level.ERROR,
                "stream-thread [x] Get exceptions for the following tasks: {0_0=org.apache.kafka.streams.errors."
                        + "TaskCorruptedException: Tasks [0_0] are corrupted and hence need to be re-initialized}", null))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide("io.debezium.embedded.async.AsyncEmbeddedEngine", Level.ERROR, "Engine has failed with ",
                new java.util.concurrent.ExecutionException(new java.util.concurrent.RejectedExecutionException("terminated"))))
                .as("a close racing the engine's polling; a failure of its own the capture reports itself").isEqualTo(FilterReply.DENY);
        // the same loggers' other errors still show
        assertThat(decide("org.apache.kafka.coordinator.common.runtime.CoordinatorRuntime", Level.ERROR, "write failed",
                new IllegalStateException("disk"))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("org.apache.kafka.streams.processor.internals.TaskManager", Level.ERROR,
                "Get exceptions for the following tasks: {0_0=StreamsException}", null)).isEqualTo(FilterReply.NEUTRAL);
    }

    private FilterReply decide(String logger, Level level, String message, Throwable thrown) {
        return quiet.decide(event(logger, level, message, thrown));
    }

    private LoggingEvent event(String logger, Level level, String message, Throwable thrown) {
        return new LoggingEvent(ConsoleLinesTest.class.getName(), context.getLogger(logger), level, message, thrown, null);
    }
}
