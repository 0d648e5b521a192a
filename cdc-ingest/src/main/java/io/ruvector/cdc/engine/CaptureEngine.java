package io.ruvector.cdc.engine;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.ruvector.cdc.collection.CollectionCatalog;
import io.ruvector.cdc.route.PartitionRouter;
import io.ruvector.cdc.throttle.ApplyPacer;
import io.ruvector.cdc.throttle.IngestGates;
import io.ruvector.cdc.throttle.ThrottleSettings;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs Debezium's PostgreSQL connector (embedded engine) for the registered tables and feeds
 * {@link ChangePublisher}. Registering a collection on a new table restarts the engine with the
 * wider table list (the slot and stored offsets keep everything already captured) and asks for a
 * blocking snapshot of just the new table, so its existing rows arrive too.
 */
public final class CaptureEngine implements Capture {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureEngine.class);

    private final CaptureConfig config;
    private final CollectionCatalog catalog;
    private final PartitionRouter router;
    private final Producer<String, SpecificRecord> producer;
    private final Clock clock;
    private final CaptureMetrics metrics = new CaptureMetrics();
    private final ApplyPacer pacer;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final WatermarkEmitter watermarks;
    private final PendingSnapshots pendingSnapshots;
    private final SnapshotLedger ledger;
    private Set<String> resumedSnapshots = Set.of();
    private ExecutorService runner;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    // volatile: status() reads them without the lock a restart holds for seconds
    private volatile CountDownLatch streaming = new CountDownLatch(1);
    private volatile Set<String> capturedTables = Set.of();
    private volatile boolean closed;
    private volatile boolean streamedOnce;
    private volatile Set<String> targetTables = Set.of(); // what the running or starting connector is to capture

    public CaptureEngine(CaptureConfig config, CollectionCatalog catalog, PartitionRouter router,
                         Producer<String, SpecificRecord> producer, Clock clock) {
        this(config, catalog, router, producer, clock, new IngestGates(ThrottleSettings.DEFAULTS));
    }

    /** @param gates the integrity gates to obey (see {@link ApplyPacer}); empty gates never throttle */
    public CaptureEngine(CaptureConfig config, CollectionCatalog catalog, PartitionRouter router,
                         Producer<String, SpecificRecord> producer, Clock clock, IngestGates gates) {
        this.pacer = new ApplyPacer(gates, config.throttle(), metrics::slotLagBytes);
        this.config = config;
        this.catalog = catalog;
        this.router = router;
        this.producer = producer;
        this.clock = clock;
        this.watermarks = new WatermarkEmitter(config.postgres(), config.watermarkInterval(), config.deployment());
        this.ledger = new SnapshotLedger(config.bootstrapServers(), config.topics().captureSnapshots(config.deployment()));
        this.pendingSnapshots = new PendingSnapshots(clock, Duration.ofMinutes(30), ledger::markDone);
    }

    /** Starts capturing the catalog's tables (nothing runs until a collection is registered). */
    @Override
    public synchronized void start() {
        // Snapshots a previous run requested but did not finish: ask for them again.
        resumedSnapshots = new TreeSet<>(ledger.readPending());
        resumedSnapshots.retainAll(catalog.tables());
        resumedSnapshots.forEach(pendingSnapshots::add);
        if (!resumedSnapshots.isEmpty()) {
            LOG.info("capture {}: resuming unfinished snapshots of {}", config.deployment(), resumedSnapshots);
        }
        watermarks.start();
        catalog.onChange(spec -> refresh());
        refresh();
    }

    /** Restarts the engine when the catalog names tables it does not capture yet. */
    public synchronized void refresh() {
        if (closed) {
            return;
        }
        Set<String> tables = new TreeSet<>(catalog.tables());
        if (tables.equals(capturedTables) || tables.isEmpty()) {
            return;
        }
        Set<String> added = new TreeSet<>(tables);
        added.removeAll(capturedTables);
        boolean firstStart = capturedTables.isEmpty();
        if (!firstStart) {
            // Before the restart, so that no watermark can claim the new table's existing rows early.
            for (String table : added) {
                if (hasRows(table)) {
                    ledger.markPending(table); // durable first: a stop before the snapshot ends must not lose rows
                    pendingSnapshots.add(table); // an empty table's future rows are streamed: nothing to wait for
                }
            }
        }
        targetTables = tables;
        stopEngine();
        startEngine(tables);
        capturedTables = tables;
        if (!firstStart) {
            snapshot(added);
        } else if (!resumedSnapshots.isEmpty()) {
            snapshot(resumedSnapshots);
            resumedSnapshots = Set.of();
        }
    }

    private void startEngine(Set<String> tables) {
        streaming = new CountDownLatch(1);
        CountDownLatch started = streaming;
        ChangePublisher publisher = new ChangePublisher(catalog, router, producer, config.topics(),
                config.deployment(), clock, metrics, pendingSnapshots, pacer);
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(DebeziumProperties.of(config, tables))
                .notifying(publisher)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        streamedOnce = true;
                        started.countDown();
                    }
                })
                .using((success, message, error) -> {
                    if (!success && !closed) {
                        failure.set(error != null ? error : new IllegalStateException(message));
                        LOG.error("capture {} stopped: {}", config.deployment(), message, error);
                    }
                })
                .build();
        runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "ruvector-capture-" + config.deployment()));
        runner.execute(engine);
        LOG.info("capture {} started: slot {}, tables {}", config.deployment(), config.slotName(), tables);
    }

    /** Blocking snapshot of tables added while the slot already streamed: their existing rows. */
    private void snapshot(Set<String> tables) {
        try {
            if (!streaming.await(60, TimeUnit.SECONDS)) {
                LOG.error("capture {} did not start within 60 s; snapshot of {} not requested", config.deployment(), tables);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        String collections = String.join("\",\"", tables);
        String data = "{\"data-collections\": [\"" + collections + "\"], \"type\": \"blocking\"}";
        engine.getSignaler().signal(new DebeziumEngine.Signal(UUID.randomUUID().toString(), "execute-snapshot", data, Map.of()));
        LOG.info("capture {}: snapshot of newly registered {} requested", config.deployment(), tables);
    }

    private boolean hasRows(String table) {
        String[] parts = table.split("\\.");
        String sql = "SELECT EXISTS (SELECT 1 FROM \"" + parts[0] + "\".\"" + parts[1] + "\")";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(config.postgres().jdbcUrl(),
                config.postgres().user(), config.postgres().password());
             java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        } catch (java.sql.SQLException e) {
            LOG.warn("cannot tell whether {} has rows ({}); watermarks wait for its snapshot", table, e.getMessage());
            return true;
        }
    }

    /** Waits until the connector task runs (the slot exists and snapshot or streaming began). */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        return streaming.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the running connector task includes the table (its publication membership is in place). */
    public boolean awaitCapturing(String table, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            CountDownLatch latch;
            synchronized (this) {
                latch = capturedTables.contains(table) ? streaming : null;
            }
            if (latch != null && latch.await(50, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (latch == null) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    /** Whether {@code table}'s snapshot rows were arriving at any moment of the last {@code window}. */
    public boolean isSnapshotLoadingWithin(String table, Duration window) {
        return pendingSnapshots.loadedWithin(table, window);
    }

    /** The admit fraction the capture applies now (1.0 = unthrottled). */
    public double currentThrottle() {
        return pacer.currentFraction();
    }

    public CaptureMetrics metrics() {
        return metrics;
    }

    /** The capture's phase and tables now; never blocks (health checks call it). */
    public CaptureStatus status() {
        Set<String> tables = targetTables;
        Set<String> loading = new TreeSet<>();
        for (String table : catalog.tables()) {
            if (pendingSnapshots.isLoading(table)) {
                loading.add(table);
            }
        }
        Throwable failed = failure.get();
        CaptureStatus.Phase phase;
        if (closed) {
            phase = CaptureStatus.Phase.CLOSED;
        } else if (failed != null) {
            phase = CaptureStatus.Phase.FAILED;
        } else if (tables.isEmpty()) {
            phase = CaptureStatus.Phase.IDLE;
        } else if (streaming.getCount() == 0 && capturedTables.equals(tables)) {
            phase = CaptureStatus.Phase.STREAMING;
        } else {
            phase = streamedOnce ? CaptureStatus.Phase.RESTARTING : CaptureStatus.Phase.STARTING;
        }
        return new CaptureStatus(phase, tables, loading, failed == null ? null : String.valueOf(failed.getMessage()));
    }

    /** Why the engine stopped on its own, or null while it is healthy. */
    public Throwable failure() {
        return failure.get();
    }

    private void stopEngine() {
        if (engine == null) {
            return;
        }
        // Debezium refuses to stop an engine whose task is still starting ("Cannot stop engine while
        // tasks are starting"): a second collection registered right after the first would then be
        // lost. So wait for the start (or a failure) first, and retry a refusal briefly.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (!streaming.await(100, TimeUnit.MILLISECONDS) && failure.get() == null && !runner.isTerminated()
                    && System.nanoTime() < deadline) {
                // waiting for the task to start
            }
            while (true) {
                try {
                    engine.close();
                    break;
                } catch (IllegalStateException starting) {
                    if (System.nanoTime() > deadline) {
                        throw starting;
                    }
                    Thread.sleep(100);
                }
            }
        } catch (IOException e) {
            LOG.warn("capture {} did not close cleanly: {}", config.deployment(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runner.shutdown();
        try {
            if (!runner.awaitTermination(60, TimeUnit.SECONDS)) {
                runner.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine = null;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watermarks.close();
        stopEngine();
        ledger.close();
    }
}
