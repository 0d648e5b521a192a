package io.ruvector.compose.bench;

import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.index.telemetry.JobKind;
import io.ruvector.index.telemetry.MaintenanceJobs;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault for the healing benchmark and tests: a maintenance job over all of a collection's local
 * partitions that promises to finish in one second and then keeps a core busy in 20 ms slices,
 * with a checkpoint between slices like every real long job. Its overrun is what the integrity
 * sensor sees as maintenance contention; a pause holds it at the checkpoint, and when the pause
 * lapses it runs on. The work is real CPU (distance computations), not a flag.
 */
public final class ContendingJob implements AutoCloseable {

    private static final Duration PROMISED = Duration.ofSeconds(1);
    private static final long SLICE_NANOS = Duration.ofMillis(20).toNanos();
    /** A checkpoint that took this long was a pause, not a return. */
    private static final long PAUSE_NANOS = Duration.ofMillis(100).toNanos();

    private final MaintenanceJobs.Job job;
    private final Thread worker;
    private final AtomicInteger pauses = new AtomicInteger();
    private final AtomicInteger resumes = new AtomicInteger();
    private volatile boolean stopped;

    private ContendingJob(MaintenanceJobs.Job job) {
        this.job = job;
        this.worker = Thread.ofPlatform().daemon().name("contending-job").unstarted(this::run);
    }

    /** Starts the job on {@code collection} in {@code runtime}'s index. */
    public static ContendingJob start(EmbeddedRuntime runtime, String collection) {
        ContendingJob job = new ContendingJob(runtime.index().maintenanceJobs().start(JobKind.REBUILD, collection, -1, PROMISED));
        job.worker.start();
        return job;
    }

    private void run() {
        SplittableRandom random = new SplittableRandom(7);
        float[] a = new float[256];
        float[] b = new float[256];
        double sink = 0;
        try {
            while (!stopped) {
                long start = System.nanoTime();
                while (System.nanoTime() - start < SLICE_NANOS) {
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (float) random.nextDouble();
                        b[i] = (float) random.nextDouble();
                    }
                    sink += distance(a, b);
                }
                long before = System.nanoTime();
                job.checkpoint();
                if (System.nanoTime() - before >= PAUSE_NANOS) {
                    pauses.incrementAndGet();
                    resumes.incrementAndGet(); // checkpoint returned: the pause ended
                }
                Thread.sleep(5); // leave the other core's threads some air, like a paced job
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            job.close();
        }
        if (sink < 0) {
            throw new AssertionError(); // keeps the JIT from dropping the work
        }
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }

    /** Whether the job has been held at a checkpoint (by a pause) at least once so far. */
    public boolean pausedAtLeastOnce() {
        return pauses.get() > 0 || job.state() == io.ruvector.index.telemetry.JobState.PAUSED;
    }

    /** Waits until the job has come back from a pause and runs again. */
    public void awaitResumed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (resumes.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job did not resume within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        worker.interrupt();
        worker.join(5_000);
    }
}
