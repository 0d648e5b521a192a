package io.ruvector.cdc.telemetry;

import io.ruvector.cdc.collection.CollectionCatalog;
import io.ruvector.cdc.engine.CaptureConfig;
import io.ruvector.cdc.engine.Capture;
import io.ruvector.cdc.engine.ReconnectingConnection;
import io.ruvector.schemas.CdcStats;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.SampleSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The capture's integrity samples: every {@link CaptureConfig#sampleInterval()} one
 * {@link IntegritySample} (source CDC) per registered collection on the samples topic, with the
 * WAL the replication slot holds, its lag in time ({@link SlotLag}: 0 when nothing is pending), Debezium's
 * queue depth and the throttle the capture applies. The slot lag also feeds the throttle's guard.
 */
public final class CaptureTelemetry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureTelemetry.class);

    private final CaptureConfig config;
    private final CollectionCatalog catalog;
    private final Capture engine;
    private final Producer<String, IntegritySample> producer;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ruvector-capture-telemetry").daemon().factory());
    private final ReconnectingConnection connection;

    public CaptureTelemetry(CaptureConfig config, CollectionCatalog catalog, Capture engine,
                            Producer<String, IntegritySample> producer, Clock clock) {
        this.config = config;
        this.catalog = catalog;
        this.engine = engine;
        this.producer = producer;
        this.clock = clock;
        this.connection = new ReconnectingConnection(config.postgres());
    }

    public CaptureTelemetry start() {
        long period = config.sampleInterval().toMillis();
        timer.scheduleAtFixedRate(this::sampleQuietly, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Takes and sends one sample per collection now; returns them. */
    public List<IntegritySample> sampleOnce() throws SQLException {
        long slotLag = slotLagBytes();
        engine.metrics().recordSlotLag(slotLag);
        long now = clock.millis();
        var metrics = engine.metrics();
        long lagMillis = SlotLag.millis(now, slotLag, metrics.lastBatchAtMillis(), metrics.lastBatchHadChanges(),
                metrics.captureDelayMillis(), SlotLag.DEFAULT_IDLE_SLOT_BYTES,
                Math.max(SlotLag.DEFAULT_LIVE_WITHIN_MILLIS, config.sampleInterval().toMillis()));
        CdcStats stats = CdcStats.newBuilder()
                .setSlotLagBytes(slotLag)
                .setSlotLagMillis(lagMillis)
                .setQueueDepth(queueDepth())
                .setCurrentThrottle(engine.currentThrottle())
                .build();
        List<IntegritySample> samples = new ArrayList<>();
        // Every collection shares the vectors partitions: a snapshot of one table puts its rows in front
        // of every collection's changes, so the lag it causes is the load's for all of them, not a fault
        // of the others (integrity.md, "A collection's initial load is not a backlog").
        Duration window = config.sampleInterval().multipliedBy(2);
        boolean loading = catalog.all().stream().anyMatch(spec -> engine.isSnapshotLoadingWithin(spec.getTable(), window));
        for (CollectionSpec spec : catalog.all()) {
            IntegritySample sample = IntegritySample.newBuilder()
                    .setCollection(spec.getName())
                    .setSampledAtMillis(now)
                    .setSource(SampleSource.CDC)
                    .setInstanceId(config.deployment())
                    .setCdc(CdcStats.newBuilder(stats).setSnapshotLoading(loading).build())
                    .build();
            producer.send(new ProducerRecord<>(config.topics().integritySamples(), spec.getName(), sample));
            samples.add(sample);
        }
        return samples;
    }

    private void sampleQuietly() {
        try {
            sampleOnce();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("capture sample failed: {}", e.getMessage());
            connection.reset();
        }
    }

    private long slotLagBytes() throws SQLException {
        try (PreparedStatement st = connection.get().prepareStatement(
                "SELECT COALESCE(pg_current_wal_lsn() - confirmed_flush_lsn, 0)::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, config.slotName());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Changes Debezium has read from the slot but not handed to us yet (its streaming queue). */
    private long queueDepth() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("debezium.postgres:type=connector-metrics,context=streaming,server="
                    + config.topics().cdcPrefix());
            if (!server.isRegistered(name)) {
                return 0;
            }
            long total = ((Number) server.getAttribute(name, "QueueTotalCapacity")).longValue();
            long remaining = ((Number) server.getAttribute(name, "QueueRemainingCapacity")).longValue();
            return Math.max(0, total - remaining);
        } catch (Exception e) { // metrics are best effort: a missing MBean must not stop sampling
            return 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        connection.reset();
    }
}
