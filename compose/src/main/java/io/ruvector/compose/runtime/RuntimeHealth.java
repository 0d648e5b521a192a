package io.ruvector.compose.runtime;

import io.ruvector.cdc.engine.CaptureStatus;
import io.ruvector.compose.runtime.health.HealthReport;
import io.ruvector.compose.runtime.health.PartHealth;
import io.ruvector.compose.runtime.health.PartHealth.Condition;
import io.ruvector.healing.HealingService;
import io.ruvector.index.IndexReadiness;
import io.ruvector.index.IndexService;
import io.ruvector.integrity.IntegrityService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.streams.KafkaStreams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the health of an {@link EmbeddedRuntime}'s parts without blocking on them: a part not
 * constructed yet is starting; the broker is asked (at most every {@link #KAFKA_RECHECK_NANOS})
 * whether it answers. Ready means searches return complete answers and the capture runs where
 * this instance captures (docs/api.md, "Health").
 */
final class RuntimeHealth {

    /**
     * An index partition within this many records of the vectors topic's end counts as caught up:
     * the integrity sensor's default lag budget, so "ready" and "normal" agree on what is behind.
     */
    static final long READY_LAG_RECORDS = 10_000;

    private static final long KAFKA_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long KAFKA_TIMEOUT_MS = 1_500;

    private final EmbeddedRuntime runtime;
    private final long startedNanos = System.nanoTime();
    private long kafkaCheckedNanos;
    private PartHealth kafka;
    private volatile long startLsn = -1;
    private volatile boolean caughtUpToStart;

    RuntimeHealth(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Where a runtime that captures must have caught up to before it is ready: PostgreSQL's WAL
     * position when it started. Changes committed while it was down are then searchable.
     */
    void catchUpTo(long lsn) {
        startLsn = lsn;
    }

    HealthReport report() {
        RuntimeConfig config = runtime.config();
        List<PartHealth> parts = new ArrayList<>();
        parts.add(kafka());
        if (config.runsCapture()) {
            parts.add(capture(runtime.captureOrNull()));
        }
        if (config.runsIndex()) {
            parts.add(index(runtime.indexOrNull(), !runtime.catalog().all().isEmpty()));
        }
        if (config.runsIntegrity()) {
            parts.add(integrity(runtime.integrityOrNull()));
        }
        if (config.runsHealing()) {
            parts.add(healing(runtime.healingOrNull()));
        }
        return new HealthReport((System.nanoTime() - startedNanos) / 1_000_000, parts);
    }

    private synchronized PartHealth kafka() {
        Admin admin = runtime.adminOrNull();
        if (admin == null) {
            return PartHealth.starting("kafka", true, "the broker and topics are being set up");
        }
        long now = System.nanoTime();
        if (kafka == null || now - kafkaCheckedNanos > KAFKA_RECHECK_NANOS) {
            kafka = askKafka(admin);
            kafkaCheckedNanos = now;
        }
        return kafka;
    }

    private PartHealth askKafka(Admin admin) {
        String bootstrap = runtime.bootstrapServers();
        try {
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) KAFKA_TIMEOUT_MS))
                    .nodes().get(KAFKA_TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            return PartHealth.ready("kafka", true, brokers + " broker(s) at " + bootstrap,
                    Map.of("bootstrap_servers", bootstrap, "brokers", brokers));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PartHealth("kafka", Condition.NOT_READY, true, "interrupted while asking " + bootstrap, null);
        } catch (Exception e) {
            return new PartHealth("kafka", Condition.NOT_READY, true, "Kafka at " + bootstrap + " does not answer within "
                    + KAFKA_TIMEOUT_MS + " ms: " + e.getClass().getSimpleName(), Map.of("bootstrap_servers", bootstrap));
        }
    }

    private static PartHealth capture(io.ruvector.cdc.engine.Capture capture) {
        if (capture == null) {
            return PartHealth.starting("capture", true, "the capture is being started");
        }
        CaptureStatus status = capture.status();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("phase", status.phase().name().toLowerCase(java.util.Locale.ROOT));
        facts.put("tables", List.copyOf(new java.util.TreeSet<>(status.tables())));
        facts.put("snapshot_loading", List.copyOf(new java.util.TreeSet<>(status.loading())));
        String loading = status.loading().isEmpty() ? "" : "; loading existing rows of " + new java.util.TreeSet<>(status.loading());
        return switch (status.phase()) {
            case IDLE -> PartHealth.ready("capture", true, "no collection registered yet", facts);
            case STREAMING -> PartHealth.ready("capture", true, "streaming " + status.tables().size() + " table(s)" + loading,
                    facts);
            case RESTARTING -> PartHealth.ready("capture", true,
                    "restarting to include a newly registered table; changes meanwhile are kept in the slot" + loading, facts);
            case STARTING -> new PartHealth("capture", Condition.STARTING, true,
                    "the connector is starting (replication slot and publication)", facts);
            case FAILED -> new PartHealth("capture", Condition.FAILED, true, "the capture stopped: " + status.failure(), facts);
            case CLOSED -> new PartHealth("capture", Condition.FAILED, true, "the capture is closed", facts);
        };
    }

    private PartHealth index(IndexService index, boolean hasCollections) {
        if (index == null) {
            return PartHealth.starting("index", true, "the index application is being started");
        }
        IndexReadiness readiness = index.readiness(READY_LAG_RECORDS);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("state", readiness.state().name());
        facts.put("partitions", List.copyOf(new java.util.TreeSet<>(readiness.partitions())));
        facts.put("restoring", List.copyOf(new java.util.TreeSet<>(readiness.restoring())));
        facts.put("loading", List.copyOf(new java.util.TreeSet<>(readiness.loading())));
        facts.put("lag_records", readiness.totalLagRecords());
        facts.put("lag_budget_records", READY_LAG_RECORDS);
        facts.put("standby_copies", index.standbys().snapshot());
        facts.put("placement", placement());
        if (readiness.ready() && !hasCollections) {
            caughtUpToStart = true; // nothing was captured before this start: a collection registered later is new, not behind
        }
        String behindStart = readiness.ready() && hasCollections ? behindStart(index) : null;
        if (behindStart != null) {
            return new PartHealth("index", Condition.NOT_READY, true, behindStart, facts);
        }
        if (readiness.ready()) {
            return PartHealth.ready("index", true, readiness.partitions().isEmpty()
                    ? "running; no partition assigned to this instance"
                    : "partitions " + new java.util.TreeSet<>(readiness.partitions()) + " caught up (" + readiness.totalLagRecords()
                    + " records behind)", facts);
        }
        Condition condition = readiness.failed() ? Condition.FAILED
                : readiness.starting() ? Condition.STARTING : Condition.NOT_READY;
        return new PartHealth("index", condition, true, String.join("; ", readiness.problems()), facts);
    }

    /**
     * Each partition's active instance, its standby instances and which of them queries go to now:
     * {@code active}, or {@code standby} while the active instance refuses connections or the
     * partition is moving, {@code none} when neither can answer.
     */
    private List<Map<String, Object>> placement() {
        io.ruvector.index.cluster.ClusterQueries cluster;
        io.ruvector.index.cluster.IndexPlacement placement;
        try {
            cluster = runtime.cluster();
            placement = cluster.placement();
        } catch (RuntimeException e) { // not running yet, or rebalancing: no placement to show
            return List.of();
        }
        java.util.SortedSet<Integer> partitions = new java.util.TreeSet<>(placement.active().keySet());
        partitions.addAll(placement.standbys().keySet());
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (int p : partitions) {
            org.apache.kafka.streams.state.HostInfo active = placement.activeHost(p);
            List<String> standbys = placement.standbyHosts(p).stream().map(h -> h.host() + ":" + h.port()).toList();
            boolean activeServes = active != null && (active.equals(cluster.self()) || !cluster.unreachable(active));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("partition", p);
            row.put("active", active == null ? null : active.host() + ":" + active.port());
            row.put("standbys", standbys);
            row.put("serving", activeServes ? "active" : standbys.isEmpty() && !cluster.localStandbyServable(p) ? "none" : "standby");
            out.add(row);
        }
        return out;
    }

    /** Null once every local partition's watermark has passed the start LSN (then for good), else why not. */
    private String behindStart(IndexService index) {
        if (startLsn < 0 || caughtUpToStart) {
            return null;
        }
        Map<Integer, Long> marks;
        try {
            marks = index.watermarks();
        } catch (RuntimeException e) { // rebalancing between the two calls
            return "the index cannot answer right now: " + e.getMessage();
        }
        long lowest = marks.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        if (lowest >= startLsn) {
            caughtUpToStart = true;
            return null;
        }
        return "catching up with PostgreSQL: searchable up to LSN " + lsnText(lowest) + ", the WAL was at "
                + lsnText(startLsn) + " when this runtime started";
    }

    private static String lsnText(long lsn) {
        return lsn < 0 ? "none yet" : io.ruvector.schemas.LsnText.format(lsn);
    }

    private static PartHealth integrity(IntegrityService integrity) {
        if (integrity == null) {
            return PartHealth.starting("integrity", false, "the integrity application is being started");
        }
        return streams("integrity", integrity.streams().orElse(null), "evaluating integrity samples");
    }

    private static PartHealth healing(HealingService healing) {
        if (healing == null) {
            return PartHealth.starting("healing", false, "the healing engine is being started");
        }
        if (healing.isReady()) {
            return PartHealth.ready("healing", false, "deciding on integrity states", Map.of("state", "RUNNING"));
        }
        return streams("healing", healing.streams(), "");
    }

    private static PartHealth streams(String name, KafkaStreams streams, String runningDetail) {
        if (streams == null) {
            return PartHealth.ready(name, false, runningDetail, null);
        }
        KafkaStreams.State state = streams.state();
        Map<String, Object> facts = Map.of("state", state.name());
        return switch (state) {
            case RUNNING -> runningDetail.isEmpty()
                    ? new PartHealth(name, Condition.STARTING, false, "running, its stores not queryable yet", facts)
                    : PartHealth.ready(name, false, runningDetail, facts);
            case CREATED, REBALANCING -> new PartHealth(name, Condition.STARTING, false, "the application is " + state, facts);
            default -> new PartHealth(name, Condition.FAILED, false, "the application is " + state, facts);
        };
    }
}
