package io.ruvector.index.telemetry;

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
 */
public final class MaintenanceJobs {

    private final Map<Long, Job> running = new ConcurrentHashMap<>();
    private final Map<JobKind, AtomicLong> finished = new EnumMap<>(JobKind.class);
    private final AtomicLong sequence = new AtomicLong();
    private final LongSupplier nanoTime;

    public MaintenanceJobs() {
        this(System::nanoTime);
    }

    /** Jobs timed by {@code nanoTime} (tests pass a manual ticker). */
    MaintenanceJobs(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        for (JobKind kind : JobKind.values()) {
            finished.put(kind, new AtomicLong());
        }
    }

    /** Registers a job of {@code kind} on {@code partition}; close the result when it ends. */
    public Job start(JobKind kind, int partition) {
        Objects.requireNonNull(kind, "kind");
        long seq = sequence.incrementAndGet();
        Job job = new Job(seq, kind, partition, nanoTime.getAsLong());
        running.put(seq, job);
        return job;
    }

    /** The jobs running now, oldest first, with how long each has run. */
    public List<RunningJob> running() {
        long now = nanoTime.getAsLong();
        List<Job> started = new ArrayList<>(running.values());
        started.sort(Comparator.comparingLong(job -> job.seq));
        List<RunningJob> jobs = new ArrayList<>(started.size());
        for (Job job : started) {
            jobs.add(new RunningJob(job.kind.label() + "-p" + job.partition + "-" + job.seq, job.kind, job.partition,
                    Math.max(0, now - job.startNanos) / 1_000_000));
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
        private final int partition;
        private final long startNanos;

        private Job(long seq, JobKind kind, int partition, long startNanos) {
            this.seq = seq;
            this.kind = kind;
            this.partition = partition;
            this.startNanos = startNanos;
        }

        @Override
        public void close() {
            if (running.remove(seq) != null) {
                finished.get(kind).incrementAndGet();
            }
        }
    }
}
