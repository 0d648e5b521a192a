package io.ruvector.index.telemetry;

import io.ruvector.index.IndexService;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.InstanceStats;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.StandbyStats;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index side of the integrity loop: every {@link TelemetrySettings#sampleInterval()} it
 * publishes, for each collection the local active partitions hold, one {@link IntegritySample}
 * (source INDEX) keyed by the collection to {@code TopicNames.integritySamples()}. TELEMETRY-NOTES.md
 * defines every field and setting.
 *
 * <p>A round ({@link #sampleOnce()}) lists the running maintenance jobs first (they hold a store's
 * write lock, which the round's queries would wait out), drains the partitions' activity counters
 * (so the window is the time since the previous round), reads placement and lag, then per
 * collection asks the store for stats and, once per {@link TelemetrySettings#centroidInterval()},
 * for a vector sample to run k-means on. All of it on the telemetry's own daemon thread, never
 * the stream thread. One telemetry per index: rounds drain the shared counters.
 *
 * <p>The producer stays the caller's (it carries the Avro serde); sends are asynchronous and a
 * failed send is logged, not retried: the next round supersedes it. Thread-safe;
 * {@link #close()} is idempotent.
 */
public final class IndexTelemetry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IndexTelemetry.class);
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final IndexView view;
    private final PartitionActivity activity;
    private final MaintenanceJobs jobs;
    private final Producer<String, IntegritySample> producer;
    private final String topic;
    private final TelemetrySettings settings;
    private final String instanceId;
    private final InstantSource clock;
    private final DoubleSupplier cpuLoad;
    private final Map<String, Centroids> centroids = new HashMap<>();
    /** Apply rates over the last 10 s at least: skew is judged on them, not on one poll's burst. */
    private final ApplyRates rates = new ApplyRates(RATE_SPAN_MILLIS);
    static final long RATE_SPAN_MILLIS = 10_000;
    private final Object scheduleLock = new Object(); // not the round's monitor: close() must not wait a round out
    private ScheduledExecutorService executor;
    private long windowStartMillis;
    private volatile boolean sendFailing;

    /** @param positions where the centroids are, to follow them at the next refresh (null: start afresh) */
    private record Centroids(List<CentroidStats> stats, float[][] positions, long computedAtMillis) {
    }

    /** The set a {@link #rebuildCentroids} replaced, per collection, so a rollback restores its positions too. */
    private final Map<String, Centroids> replaced = new HashMap<>();

    IndexTelemetry(IndexView view, PartitionActivity activity, MaintenanceJobs jobs,
                   Producer<String, IntegritySample> producer, String topic, TelemetrySettings settings,
                   String instanceId, InstantSource clock, DoubleSupplier cpuLoad) {
        this.view = Objects.requireNonNull(view, "view");
        this.activity = Objects.requireNonNull(activity, "activity");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.settings = Objects.requireNonNullElse(settings, TelemetrySettings.DEFAULTS);
        Objects.requireNonNull(instanceId, "instanceId");
        if (instanceId.isBlank()) {
            throw new IllegalArgumentException("index telemetry instance id must not be blank");
        }
        this.instanceId = instanceId;
        this.clock = Objects.requireNonNullElse(clock, Clock.systemUTC()); // tests pass a lambda
        this.cpuLoad = Objects.requireNonNull(cpuLoad, "cpuLoad");
        this.windowStartMillis = this.clock.millis();
    }

    /**
     * Starts publishing samples of {@code index} every {@code settings.sampleInterval()} (the first
     * one interval from now) on a daemon thread, until {@link #close()}.
     *
     * @param producer   sends to {@code index.topics().integritySamples()}; stays the caller's
     * @param settings   null for {@link TelemetrySettings#DEFAULTS}
     * @param instanceId this instance's {@code application.server} ({@code host:port}) or another
     *                   id unique among the index instances; the partitions' host
     * @param clock      the samples' time ({@code sampledAtMillis}, windows, lag age); null for UTC
     */
    public static IndexTelemetry start(IndexService index, Producer<String, IntegritySample> producer,
                                       TelemetrySettings settings, String instanceId, Clock clock) {
        Objects.requireNonNull(index, "index");
        IndexTelemetry telemetry = new IndexTelemetry(new StreamsIndexView(index), index.activity(), index.jobs(),
                producer, index.topics().integritySamples(), settings, instanceId, clock, IndexTelemetry::processCpuCores);
        telemetry.schedule();
        return telemetry;
    }

    /** Takes one sample per hosted collection now, sends them, and returns them (sorted by collection). */
    public synchronized List<IntegritySample> sampleOnce() {
        long now = clock.millis();
        List<RunningJob> running = jobs.running(); // before any query: see the class comment
        Map<Integer, ActivityWindow> windows = activity.drain();
        long windowMillis = Math.max(1, now - windowStartMillis);
        windowStartMillis = now;
        Map<Integer, Set<String>> hosted = view.collections();
        Map<String, Set<Integer>> partitionsOf = new TreeMap<>();
        hosted.forEach((partition, names) -> names.forEach(
                name -> partitionsOf.computeIfAbsent(name, n -> new TreeSet<>()).add(partition)));
        rates.add(windows, windowMillis);
        SampleAssembler.Round round = new SampleAssembler.Round(now, windowMillis, instanceId, windows,
                view.consumerLag(), standbys(hosted.keySet()), instance(windows, hosted.keySet()), running,
                settings.jobOverrun().toMillis(), rates.perSecond());
        centroids.keySet().retainAll(partitionsOf.keySet());
        List<IntegritySample> samples = new ArrayList<>(partitionsOf.size());
        for (Map.Entry<String, Set<Integer>> entry : partitionsOf.entrySet()) {
            String collection = entry.getKey();
            // Every local partition, also those without rows of the collection: an idle partition next
            // to a hot one is what skew looks like.
            Map<Integer, CollectionStats> stats = new TreeMap<>(view.stats(collection));
            stats.keySet().retainAll(hosted.keySet());
            IntegritySample sample = SampleAssembler.assemble(round, collection, stats,
                    centroids(collection, stats, now));
            producer.send(new ProducerRecord<>(topic, collection, sample), (metadata, error) -> sent(collection, error));
            samples.add(sample);
        }
        return samples;
    }

    /**
     * Stops the schedule and waits (up to {@value #CLOSE_WAIT_SECONDS} s) for a round in progress,
     * so that the caller may close the producer next; leaves the producer and the index alone.
     */
    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (scheduleLock) {
            stopping = executor;
            executor = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
            try {
                if (!stopping.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    LOG.warn("Index telemetry round still running after {} s; closing anyway", CLOSE_WAIT_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@link #sampleOnce()} every sample interval on a daemon thread until {@link #close()}. */
    void schedule() {
        synchronized (scheduleLock) {
            if (executor != null) {
                return;
            }
            executor = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "ruvector-index-telemetry");
                thread.setDaemon(true);
                return thread;
            });
            long millis = settings.sampleInterval().toMillis();
            executor.scheduleWithFixedDelay(this::sampleQuietly, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void sampleQuietly() {
        try {
            sampleOnce();
        } catch (RuntimeException e) { // e.g. a rebalance: a failing round must not cancel the schedule
            LOG.warn("Index telemetry round failed, next in {}: {}", settings.sampleInterval(), e.toString());
        }
    }

    private void sent(String collection, Exception error) {
        if (error != null && !sendFailing) {
            sendFailing = true; // one line per outage, not one per collection and round
            LOG.warn("Could not publish the integrity sample of {} to {}: {}", collection, topic, error.toString());
        } else if (error == null && sendFailing) {
            sendFailing = false;
            LOG.info("Publishing integrity samples to {} again", topic);
        }
    }

    /** Standby copies of the local partitions; only a standby on this very instance has a lag we can read. */
    private Map<Integer, List<StandbyStats>> standbys(Set<Integer> partitions) {
        Map<Integer, List<String>> hosts = new TreeMap<>(view.standbyHosts());
        hosts.keySet().retainAll(partitions);
        boolean anyLocal = hosts.values().stream().anyMatch(list -> list.contains(instanceId));
        Map<Integer, Long> localLag = anyLocal ? view.localStandbyLag() : Map.of(); // a remote call: only when needed
        Map<Integer, List<StandbyStats>> standbys = new TreeMap<>();
        hosts.forEach((partition, list) -> standbys.put(partition, list.stream()
                .map(host -> new StandbyStats(host, host.equals(instanceId) ? localLag.getOrDefault(partition, 0L) : 0L))
                .toList()));
        return standbys;
    }

    private InstanceStats instance(Map<Integer, ActivityWindow> windows, Set<Integer> partitions) {
        long p99 = 0;
        for (int partition : partitions) {
            p99 = Math.max(p99, windows.getOrDefault(partition, ActivityWindow.IDLE).p99Micros());
        }
        return new InstanceStats(instanceId, cpuLoad.getAsDouble(), p99);
    }

    /** The collection's centroids, recomputed when older than the centroid interval. */
    private List<CentroidStats> centroids(String collection, Map<Integer, CollectionStats> stats, long now) {
        Centroids cached = centroids.get(collection);
        if (settings.reservoir() == 0
                || cached != null && now - cached.computedAtMillis() < settings.centroidInterval().toMillis()) {
            return cached == null ? List.of() : cached.stats();
        }
        // refreshes follow the previous clustering; only rebuild_centroids starts afresh
        CentroidSummary.Fit fitted = fit(collection, stats, cached == null ? null : cached.positions());
        centroids.put(collection, new Centroids(fitted.stats(), fitted.positions(), now));
        return fitted.stats();
    }

    /** k-means over a fresh stratified sample of the collection's rows in the partitions of {@code stats}. */
    private CentroidSummary.Fit fit(String collection, Map<Integer, CollectionStats> stats, float[][] previous) {
        // A fixed seed per collection: unchanged data gives the same sample and centroids, so the
        // integrity graph does not churn between refreshes.
        long seed = 0x9E3779B97F4A7C15L * (collection.hashCode() + 1L);
        Map<Integer, Integer> liveRows = new TreeMap<>();
        stats.forEach((partition, s) -> liveRows.put(partition, s.liveRows()));
        Map<Integer, List<float[]>> samples = new TreeMap<>();
        int sampled = 0;
        for (Map.Entry<Integer, Integer> quota : CentroidSummary.quotas(liveRows, settings.reservoir()).entrySet()) {
            if (quota.getValue() > 0) {
                List<float[]> vectors = view.sample(collection, quota.getKey(), quota.getValue(), seed + quota.getKey());
                samples.put(quota.getKey(), vectors);
                sampled += vectors.size();
            }
        }
        return CentroidSummary.fit(samples, settings.centroidsFor(sampled), settings.kmeansIterations(), seed, previous);
    }

    /** The centroids the samples of {@code collection} carry now (empty before the first computation). */
    public synchronized List<CentroidStats> centroids(String collection) {
        Centroids cached = centroids.get(collection);
        return cached == null ? List.of() : cached.stats();
    }

    /**
     * Recomputes the centroids of {@code collection} now (what a round does once per centroid
     * interval) and installs them, so the next sample carries them; returns them.
     */
    public synchronized List<CentroidStats> rebuildCentroids(String collection) {
        Objects.requireNonNull(collection, "collection");
        Set<Integer> hosted = view.collections().keySet();
        Map<Integer, CollectionStats> stats = new TreeMap<>(view.stats(collection));
        stats.keySet().retainAll(hosted);
        CentroidSummary.Fit fitted = settings.reservoir() == 0 ? CentroidSummary.Fit.NONE : fit(collection, stats, null);
        Centroids before = centroids.put(collection, new Centroids(fitted.stats(), fitted.positions(), clock.millis()));
        if (before != null) {
            replaced.put(collection, before);
        }
        return fitted.stats();
    }

    /**
     * Installs {@code previous} as the centroids of {@code collection} (a rollback of
     * {@link #rebuildCentroids}); samples carry them until the next periodic recomputation.
     */
    public synchronized void installCentroids(String collection, List<CentroidStats> previous) {
        Objects.requireNonNull(collection, "collection");
        Centroids before = replaced.remove(collection);
        float[][] positions = before != null && before.stats().equals(previous) ? before.positions() : null;
        centroids.put(collection, new Centroids(List.copyOf(previous), positions, clock.millis()));
    }

    /** Process CPU load in cores (0..available processors), 0 when the JVM cannot tell. */
    static double processCpuCores() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            return load >= 0 ? load * os.getAvailableProcessors() : 0.0; // negative (or NaN) = not available
        }
        return 0.0;
    }
}
