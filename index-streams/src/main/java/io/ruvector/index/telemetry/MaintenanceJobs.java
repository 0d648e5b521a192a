package io.ruvector.index.telemetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The maintenance jobs running right now: a job reports itself with {@link #start} and leaves with
 * {@link Job#close()} (try-with-resources), and {@link IndexTelemetry} lists {@link #running()}
 * ones in its samples. One per index application (created with the topology, owned by
 * {@code IndexService}), never static. Thread-safe.
 *
 * <p>Why a registry and not a flag on the store: jobs run on the stream thread (rebuilds) and the
 * maintenance thread (compaction) while holding the store's write lock, so the telemetry thread
 * could not ask the store without waiting for the very job it wants to see.
 *
 * <p>Pausing: a long job of one collection calls {@link Job#checkpoint()} between its slices (never
 * while holding a store lock); while {@link JobPauses} says the collection is paused, the call
 * blocks and the job is listed {@link JobState#PAUSED}.
 */
public final class MaintenanceJobs {

    private final Map<Long, Job> running = new ConcurrentHashMap<>();
    private final Map<JobKind, AtomicLong> finished = new EnumMap<>(JobKind.class);
    private final AtomicLong sequence = new AtomicLong();
    private final LongSupplier nanoTime;
    private final JobPauses pauses;

    /** Jobs that are never paused. */
    public MaintenanceJobs() {
        this(JobPauses.NONE);
    }

    /** Jobs whose {@link Job#checkpoint()} waits while {@code pauses} says their collection is paused. */
    public MaintenanceJobs(JobPauses pauses) {
        this(System::nanoTime, pauses);
    }

    /** Jobs timed by {@code nanoTime} (tests pass a manual ticker). */
    MaintenanceJobs(LongSupplier nanoTime) {
        this(nanoTime, JobPauses.NONE);
    }

    MaintenanceJobs(LongSupplier nanoTime, JobPauses pauses) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.pauses = Objects.requireNonNull(pauses, "pauses");
        for (JobKind kind : JobKind.values()) {
            finished.put(kind, new AtomicLong());
        }
    }

    /** Registers a partition-wide job of {@code kind} on {@code partition}; close the result when it ends. */
    public Job start(JobKind kind, int partition) {
        return start(kind, null, partition, null);
    }

    /**
     * Registers a job of {@code kind} on {@code collection} (null: partition-wide) in {@code partition}
     * ({@code -1}: all local partitions), expected to take {@code estimate} (null: unknown; samples
     * then call it overrunning after the telemetry's {@code jobOverrun}). Close the result when it
     * ends; call {@link Job#checkpoint()} between its slices.
     */
    public Job start(JobKind kind, String collection, int partition, Duration estimate) {
        Objects.requireNonNull(kind, "kind");
        long seq = sequence.incrementAndGet();
        long estimateMillis = estimate == null ? 0 : Math.max(1, estimate.toMillis());
        Job job = new Job(seq, kind, collection, partition, estimateMillis, nanoTime.getAsLong());
        running.put(seq, job);
        return job;
    }

    /** The jobs running now, oldest first, with how long each has run and whether it is paused. */
    public List<RunningJob> running() {
        long now = nanoTime.getAsLong();
        List<Job> started = new ArrayList<>(running.values());
        started.sort(Comparator.comparingLong(job -> job.seq));
        List<RunningJob> jobs = new ArrayList<>(started.size());
        for (Job job : started) {
            jobs.add(job.snapshot(now));
        }
        return jobs;
    }

    /** The jobs of {@code collection} running now (see {@link #running()}). */
    public List<RunningJob> running(String collection) {
        List<RunningJob> jobs = new ArrayList<>();
        for (RunningJob job : running()) {
            if (Objects.equals(job.collection(), collection)) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    /** Jobs of {@code kind} that have ended since this registry was created. */
    public long finished(JobKind kind) {
        return finished.get(kind).get();
    }

    /** A running job; {@link #close()} (idempotent) reports its end. */
    public final class Job implements AutoCloseable {

        private final long seq;
        private final JobKind kind;
        private final String collection;
        private final int partition;
        private final long estimateMillis;
        private final long startNanos;
        private volatile JobState state = JobState.RUNNING;

        private Job(long seq, JobKind kind, String collection, int partition, long estimateMillis, long startNanos) {
            this.seq = seq;
            this.kind = kind;
            this.collection = collection;
            this.partition = partition;
            this.estimateMillis = estimateMillis;
            this.startNanos = startNanos;
        }

        /** This job's id in {@link #running()}. */
        public String id() {
            return kind.label() + "-p" + partition + "-" + seq;
        }

        public JobState state() {
            return state;
        }

        /**
         * A safe point between slices: returns at once unless the job's collection is paused, else
         * reports the job PAUSED and blocks until the pause ends. Call it holding no store lock.
         *
         * @throws InterruptedException when interrupted while paused (the job should stop)
         */
        public void checkpoint() throws InterruptedException {
            if (!pauses.isPaused(collection)) {
                return;
            }
            state = JobState.PAUSED;
            try {
                pauses.awaitUnpaused(collection);
            } finally {
                state = JobState.RUNNING;
            }
        }

        @Override
        public void close() {
            if (running.remove(seq) != null) {
                finished.get(kind).incrementAndGet();
            }
        }

        private RunningJob snapshot(long now) {
            return new RunningJob(id(), kind, partition, Math.max(0, now - startNanos) / 1_000_000, collection, state,
                    estimateMillis);
        }
    }
}
