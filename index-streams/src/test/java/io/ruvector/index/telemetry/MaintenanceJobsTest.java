package io.ruvector.index.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

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
}
