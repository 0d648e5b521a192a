package io.ruvector.compose.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.nio.file.Path;
import java.util.Iterator;

/**
 * The console of a long-running command ({@code run}, {@code demo}) shows what a person needs —
 * the command's own start line, the ready line, our warnings and errors, any library's ERROR —
 * while every routine line (ours at INFO; Kafka, Kafka Streams, Debezium, jvector through
 * java.util.logging at INFO and WARN) goes to a rolling log file in the data directory. Without
 * this, those lines interleave with the progress bar and warn about things nobody must act on.
 * With {@code RUVECTOR_LOG_LEVEL} set, our lines of that level reach the console again.
 */
final class ConsoleLog {

    /** Loggers of this product: on the console from WARN (any level when RUVECTOR_LOG_LEVEL is set). */
    private static final String OWN = "io.ruvector";
    /** The readiness line ({@code ready in 7.0 s}) is the one INFO line a person waits for. */
    private static final String READY = "io.ruvector.ready";
    /** Libraries logged to the file at INFO (their routine lines), quieter ones at WARN. */
    private static final String[] ROUTINE_INFO = {"org.apache.kafka", "io.debezium", "io.github.jbellis", "kafka"};

    private ConsoleLog() {
    }

    /**
     * Routes third-party lines to {@code <dataDir>/logs/ruvector.log} (10 MiB, 5 kept) and keeps
     * them off the console below ERROR.
     *
     * @return the log file
     */
    static Path toFile(Path dataDir) {
        return toFile(dataDir, false);
    }

    /**
     * As {@link #toFile(Path)}; with {@code ownInfo} our INFO lines stay on the console too (a
     * benchmark's run shows the engine's decisions next to its own numbers).
     */
    static Path toFile(Path dataDir, boolean ownInfo) {
        Path file = dataDir.toAbsolutePath().resolve("logs").resolve("ruvector.log");
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return file; // another SLF4J backend: its own configuration decides
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);

        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(file.toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file.toString().replace("ruvector.log", "ruvector.%i.log"));
        rolling.setMinIndex(1);
        rolling.setMaxIndex(5);
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf("10MB"));
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n");
        encoder.start();
        appender.setEncoder(encoder);
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        rolling.start();
        trigger.start();
        appender.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            it.next().addFilter(new ConsoleLines(ownInfo || System.getenv("RUVECTOR_LOG_LEVEL") != null));
        }
        root.addAppender(appender);
        root.setLevel(Level.INFO);
        for (String name : ROUTINE_INFO) {
            context.getLogger(name).setLevel(Level.INFO);
        }
        return file;
    }

    /**
     * Library ERRORs that a restart after a crash logs and then recovers from by itself, by logger
     * and a fragment of the line or its exception: nobody must act, so they go to the file only.
     * The broker's group coordinator logs one per offsets partition it began loading before the
     * partition's leader was elected again (it loads it once elected); Kafka Streams logs a task
     * whose exactly-once state was not committed when the process died, and rebuilds it from its
     * changelog. Also a library ERROR that one of our own lines already reports: Debezium's engine
     * logs "Engine has failed" whenever it stops with an error — also when a close races its own
     * polling (a task rejected by its already terminated executor, seen once in five `bench search`
     * runs as the capture was closed) — and the capture logs its own ERROR for a failure it did not
     * ask for (CaptureEngine's completion callback).
     */
    private static final java.util.List<java.util.Map.Entry<String, String>> RECOVERED = java.util.List.of(
            java.util.Map.entry("org.apache.kafka.coordinator.common.runtime.CoordinatorRuntime", "NotLeaderOrFollowerException"),
            java.util.Map.entry("org.apache.kafka.streams.processor.internals.TaskManager", "TaskCorruptedException"),
            java.util.Map.entry("io.debezium.embedded.async.AsyncEmbeddedEngine", "Engine has failed"));

    /** Console filter: the ready line and our warnings pass, a library's lines only at ERROR (not the recovered ones). */
    static final class ConsoleLines extends Filter<ILoggingEvent> {

        private final boolean verbose;

        ConsoleLines(boolean verbose) {
            this.verbose = verbose;
        }

        @Override
        public FilterReply decide(ILoggingEvent event) {
            String name = event.getLoggerName();
            boolean own = name.startsWith(OWN);
            if (name.startsWith(READY) || own && (verbose || event.getLevel().isGreaterOrEqual(Level.WARN))) {
                return FilterReply.NEUTRAL;
            }
            return event.getLevel().isGreaterOrEqual(Level.ERROR) && !recovered(event) ? FilterReply.NEUTRAL
                    : FilterReply.DENY;
        }

        private static boolean recovered(ILoggingEvent event) {
            for (java.util.Map.Entry<String, String> known : RECOVERED) {
                if (event.getLoggerName().equals(known.getKey()) && mentions(event, known.getValue())) {
                    return true;
                }
            }
            return false;
        }

        private static boolean mentions(ILoggingEvent event, String fragment) {
            if (event.getFormattedMessage() != null && event.getFormattedMessage().contains(fragment)) {
                return true;
            }
            for (var thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
                if (thrown.getClassName().endsWith(fragment)) {
                    return true;
                }
            }
            return false;
        }
    }
}
