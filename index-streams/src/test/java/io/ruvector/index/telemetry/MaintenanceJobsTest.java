package io.ruvector.index.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.maintenance.MaintenanceControl;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link MaintenanceJobs}: running jobs are listed with their run time until they close. */
class MaintenanceJobsTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final MaintenanceJobs jobs = new MaintenanceJobs(nanos::get);

    @Test
    void shouldListRunningJobsOldestFirstWithTheirRunTimeUntilTheyClose() {
        MaintenanceJobs.Job rebuild = jobs.start(JobKind.REBUILD, 3);
        nanos.addAndGet(1_500_000_000L);
        MaintenanceJobs.Job compaction = jobs.start(JobKind.COMPACTION, 1);
        nanos.addAndGet(250_000_000L);

        assertThat(jobs.running()).containsExactly(
                new RunningJob("rebuild-p3-1", JobKind.REBUILD, 3, 1_750),
                new RunningJob("compaction-p1-2", JobKind.COMPACTION, 1, 250));

        rebuild.close();
        rebuild.close(); // idempotent
        assertThat(jobs.running()).extracting(RunningJob::id).containsExactly("compaction-p1-2");
        assertThat(jobs.finished(JobKind.REBUILD)).isEqualTo(1);
        assertThat(jobs.finished(JobKind.COMPACTION)).isZero();
        compaction.close();
        assertThat(jobs.running()).isEmpty();
        assertThat(jobs.finished(JobKind.COMPACTION)).isEqualTo(1);
    }

    @Test
    void shouldGiveEachJobItsOwnIdWhenKindAndPartitionRepeat() {
        try (MaintenanceJobs.Job first = jobs.start(JobKind.COMPACTION, 0);
             MaintenanceJobs.Job second = jobs.start(JobKind.COMPACTION, 0)) {
            assertThat(jobs.running()).extracting(RunningJob::id).doesNotHaveDuplicates().hasSize(2);
        }
    }

    @Test
    void shouldBlockAtTheCheckpointAndReportPausedWhenTheCollectionIsPausedUntilResumed() throws Exception {
        MaintenanceControl control = new MaintenanceControl(Clock.systemUTC());
        MaintenanceJobs paused = new MaintenanceJobs(nanos::get, control);
        MaintenanceJobs.Job job = paused.start(JobKind.COMPACTION, "c", 2, Duration.ofSeconds(5));
        CountDownLatch slices = new CountDownLatch(2);
        Thread worker = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    job.checkpoint();
                    slices.countDown();
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        control.pause("c", System.currentTimeMillis() + 60_000);
        awaitState(paused, JobState.PAUSED);
        assertThat(paused.running()).singleElement().satisfies(r -> {
            assertThat(r.collection()).isEqualTo("c");
            assertThat(r.estimateMillis()).isEqualTo(5_000);
        });
        long countBefore = slices.getCount();

        control.resume("c");

        assertThat(slices.await(5, TimeUnit.SECONDS)).as("slices go on after resume (%d before)", countBefore).isTrue();
        awaitState(paused, JobState.RUNNING);
        worker.interrupt();
        worker.join(5_000);
        job.close();
    }

    @Test
    void shouldNotBlockAtTheCheckpointWhenAnotherCollectionIsPaused() throws InterruptedException {
        MaintenanceControl control = new MaintenanceControl(Clock.systemUTC());
        control.pause("other", System.currentTimeMillis() + 60_000);
        try (MaintenanceJobs.Job job = new MaintenanceJobs(nanos::get, control).start(JobKind.COMPACTION, "c", 0, null)) {
            job.checkpoint(); // returns at once
            assertThat(job.state()).isEqualTo(JobState.RUNNING);
        }
    }

    private static void awaitState(MaintenanceJobs jobs, JobState state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (jobs.running().stream().noneMatch(job -> job.state() == state)) {
            assertThat(System.nanoTime()).as("job reaches %s", state).isLessThan(deadline);
            Thread.sleep(2);
        }
    }
}
