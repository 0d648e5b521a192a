package io.ruvector.cdc.engine;

import java.time.Duration;

/**
 * What feeds the vectors topic from PostgreSQL: Debezium embedded in this process
 * ({@link CaptureEngine}), or Debezium on Kafka Connect with this process normalising its topics
 * ({@link ConnectNormaliser}). Both publish through the same {@link ChangePublisher}.
 */
public sealed interface Capture extends AutoCloseable permits CaptureEngine, ConnectNormaliser {

    /** Starts capturing the catalog's tables. */
    void start();

    /** The phase and tables now, for health checks; never blocks. */
    CaptureStatus status();

    CaptureMetrics metrics();

    /** Waits until the capture runs (or failed); false when it did not start within {@code timeout}. */
    boolean awaitStarted(Duration timeout) throws InterruptedException;

    /** Waits until the capture takes {@code table}'s changes. */
    boolean awaitCapturing(String table, Duration timeout) throws InterruptedException;

    /** Whether {@code table}'s snapshot rows were arriving at any moment of the last {@code window}. */
    boolean isSnapshotLoadingWithin(String table, Duration window);

    /** The admit fraction the capture applies now (1.0 = unthrottled). */
    double currentThrottle();

    /** Why the capture stopped on its own, or null while it is healthy. */
    Throwable failure();

    @Override
    void close();
}
