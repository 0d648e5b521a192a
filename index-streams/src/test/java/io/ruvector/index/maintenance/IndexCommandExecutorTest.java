package io.ruvector.index.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.store.Changes;
import io.ruvector.index.store.GraphMaintenance;
import io.ruvector.index.store.TestStores;
import io.ruvector.index.store.VectorIndexStore;
import io.ruvector.index.telemetry.JobKind;
import io.ruvector.index.telemetry.JobState;
import io.ruvector.index.telemetry.MaintenanceJobs;
import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.GateAction;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.Strategies;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link IndexCommandExecutor}: the acks of each strategy, dry runs, expiry, rollbacks and failures. */
class IndexCommandExecutorTest {

    private static final long NOW = 1_700_000_000_000L;
    private final MutableClock clock = new MutableClock(NOW);
    private final MaintenanceControl control = new MaintenanceControl(clock);
    private final MaintenanceJobs jobs = new MaintenanceJobs(control);
    private final GraphMaintenance maintenance = GraphMaintenance.manual();
    private final VectorIndexStore store = TestStores.open(TestStores.inner("executor"),
            HnswSettings.builder().exactBelowRows(50).build(), maintenance, jobs);
    private final FakeCentroids centroids = new FakeCentroids();
    private final IndexCommandExecutor executor = new IndexCommandExecutor("host:1", control, jobs,
            () -> List.of(store), centroids, clock);
    private int sequence;

    @BeforeEach
    void fill() {
        long lsn = 0;
        for (int i = 0; i < 100; i++) {
            store.apply(Changes.upsert("c", "r" + i, ++lsn, i, 1f));
        }
        for (int i = 0; i < 40; i++) {
            store.apply(Changes.delete("c", "r" + i, ++lsn));
        }
        store.advanceWatermark(lsn);
    }

    @AfterEach
    void close() {
        store.close();
        maintenance.close();
    }

    @Test
    void shouldCompactAndReportNumbersWhenApplied() {
        CommandAck ack = executor.execute(command(Strategies.COMPACT_INDEXES, Map.of()));

        assertThat(ack.getStatus()).isEqualTo(AckStatus.APPLIED);
        assertThat(ack.getExecutor()).isEqualTo("index@host:1");
        assertThat(ack.getDetails()).containsEntry("purged_nodes", "40").containsEntry("purged_tombstones", "40")
                .containsEntry("deleted_fraction_before", "0.4000").containsEntry("deleted_fraction_after", "0.0000");
        assertThat(store.stats("c").tombstones()).isZero();
    }

    @Test
    void shouldChangeNothingWhenItIsADryRun() {
        RemediationCommand dry = RemediationCommand.newBuilder(command(Strategies.COMPACT_INDEXES, Map.of()))
                .setDryRun(true).build();

        CommandAck ack = executor.execute(dry);

        assertThat(ack.getStatus()).isEqualTo(AckStatus.APPLIED);
        assertThat(ack.getDryRun()).isTrue();
        assertThat(ack.getDetail()).startsWith("would remove");
        assertThat(store.stats("c").deletedGraphNodes()).isEqualTo(40);
        assertThat(store.stats("c").tombstones()).isEqualTo(40);

        CommandAck pause = executor.execute(RemediationCommand.newBuilder(command(Strategies.PAUSE_MAINTENANCE,
                Map.of())).setDryRun(true).build());
        assertThat(pause.getStatus()).isEqualTo(AckStatus.APPLIED);
        assertThat(control.isPaused("c")).isFalse();
    }

    @Test
    void shouldAnswerExpiredAndApplyNothingWhenTheCommandExpired() {
        RemediationCommand late = command(Strategies.COMPACT_INDEXES, Map.of());
        clock.advance(Duration.ofHours(1).toMillis());

        CommandAck ack = executor.execute(late);

        assertThat(ack.getStatus()).isEqualTo(AckStatus.EXPIRED);
        assertThat(store.stats("c").deletedGraphNodes()).isEqualTo(40);
    }

    @Test
    void shouldFailNamingTheCollectionWhenItIsNotHostedHere() {
        RemediationCommand elsewhere = RemediationCommand.newBuilder(command(Strategies.REBUILD_CENTROIDS, Map.of()))
                .setCollection("missing").build();

        CommandAck ack = executor.execute(elsewhere);

        assertThat(ack.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(ack.getDetail()).isEqualTo("collection missing is not hosted here");
    }

    @Test
    void shouldFailWithTheGatesReasonUnlessForcedWhenTheHighRiskGateDefers() {
        control.updateGate("c", States.state("c", "c", IntegrityLevel.STRESS, GateAction.DEFER));

        CommandAck refused = executor.execute(command(Strategies.COMPACT_INDEXES, Map.of()));
        assertThat(refused.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(refused.getDetail()).contains("DEFER");
        assertThat(store.stats("c").deletedGraphNodes()).isEqualTo(40);
        assertThat(control.deferred()).isEqualTo(1);

        CommandAck forced = executor.execute(command(Strategies.COMPACT_INDEXES, Map.of(IndexCommandExecutor.PARAM_FORCE,
                "true")));
        assertThat(forced.getStatus()).isEqualTo(AckStatus.APPLIED);
        assertThat(store.stats("c").deletedGraphNodes()).isZero();
    }

    @Test
    void shouldRefuseToRollBackACompaction() {
        CommandAck applied = executor.execute(command(Strategies.COMPACT_INDEXES, Map.of()));

        CommandAck ack = executor.execute(rollback(Strategies.COMPACT_INDEXES, applied.getCommandId()));

        assertThat(ack.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(ack.getDetail()).isEqualTo("compact_indexes is not reversible");
    }

    @Test
    void shouldPauseARunningJobAndResumeItWhenRolledBack() throws Exception {
        MaintenanceJobs.Job job = jobs.start(JobKind.COMPACTION, "c", 0, Duration.ofSeconds(1));
        AtomicBoolean stop = new AtomicBoolean();
        Thread worker = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (!stop.get()) {
                    job.checkpoint();
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        CommandAck paused = executor.execute(command(Strategies.PAUSE_MAINTENANCE, Map.of("drain_millis", "5000")));

        assertThat(paused.getStatus()).isEqualTo(AckStatus.APPLIED);
        assertThat(paused.getDetails()).containsEntry("paused_jobs", "1").containsEntry("drained", "true");
        assertThat(control.isPaused("c")).isTrue();
        assertThat(job.state()).isEqualTo(JobState.PAUSED);

        CommandAck resumed = executor.execute(rollback(Strategies.PAUSE_MAINTENANCE, paused.getCommandId()));

        assertThat(resumed.getStatus()).isEqualTo(AckStatus.ROLLED_BACK);
        assertThat(control.isPaused("c")).isFalse();
        stop.set(true);
        worker.join(5_000);
        assertThat(worker.isAlive()).isFalse();
        job.close();
    }

    @Test
    void shouldRepauseUntilExpiryWhenRestoredAfterARestart() {
        RemediationCommand pause = command(Strategies.PAUSE_MAINTENANCE, Map.of());

        executor.restore(pause);

        assertThat(control.pausedUntil("c")).isEqualTo(pause.getExpiresAtMillis());
    }

    @Test
    void shouldRebuildCentroidsAndReinstallThePreviousSetWhenRolledBack() {
        List<CentroidStats> before = List.of(new CentroidStats("c0", 1.0, 0.1, List.of(0)));
        centroids.sets.put("c", before);

        CommandAck rebuilt = executor.execute(command(Strategies.REBUILD_CENTROIDS, Map.of()));

        assertThat(rebuilt.getStatus()).isEqualTo(AckStatus.APPLIED);
        assertThat(rebuilt.getDetails()).containsEntry("centroids_before", "1").containsEntry("centroids_after", "2");
        assertThat(centroids.current("c")).hasSize(2);

        CommandAck undone = executor.execute(rollback(Strategies.REBUILD_CENTROIDS, rebuilt.getCommandId()));

        assertThat(undone.getStatus()).isEqualTo(AckStatus.ROLLED_BACK);
        assertThat(centroids.current("c")).isEqualTo(before);
    }

    @Test
    void shouldMoveIdleRowsToTheColdTierAndPromoteThemWhenRolledBack() {
        clock.advance(System.currentTimeMillis() + 3_600_000 - clock.millis()); // the rows were written an hour ago
        RemediationCommand dry = RemediationCommand.newBuilder(command(Strategies.EVICT_COLD_DATA,
                Map.of(Strategies.PARAM_IDLE_SECONDS, "60"))).setDryRun(true).build();

        CommandAck plan = executor.execute(dry);
        assertThat(plan.getStatus()).isEqualTo(AckStatus.APPLIED);
        assertThat(plan.getDetail()).startsWith("would move 60 rows of c idle for 60 s");
        assertThat(plan.getDetails()).containsEntry("rows", "60");
        assertThat(store.stats("c").coldRows()).as("a dry run moves nothing").isZero();

        CommandAck ack = executor.execute(command(Strategies.EVICT_COLD_DATA, Map.of(Strategies.PARAM_IDLE_SECONDS, "60")));
        assertThat(ack.getStatus()).as(ack.getDetail()).isEqualTo(AckStatus.APPLIED);
        assertThat(ack.getDetails()).containsEntry("rows", "60").containsEntry("cold_rows", "60")
                .containsEntry("retired_nodes", "40");
        assertThat(store.stats("c").coldRows()).isEqualTo(60);
        assertThat(store.get("c", "r77")).map(row -> row.vector()).hasValueSatisfying(v -> assertThat(v)
                .containsExactly(77f, 1f));

        CommandAck recent = executor.execute(command(Strategies.EVICT_COLD_DATA,
                Map.of(Strategies.PARAM_IDLE_SECONDS, "86400")));
        assertThat(recent.getStatus()).as("nothing idle for a day").isEqualTo(AckStatus.FAILED);
        assertThat(recent.getDetail()).contains("nothing moved");

        CommandAck undone = executor.execute(rollback(Strategies.EVICT_COLD_DATA, ack.getCommandId()));
        assertThat(undone.getStatus()).isEqualTo(AckStatus.ROLLED_BACK);
        assertThat(undone.getDetails()).containsEntry("promoted_rows", "60");
        assertThat(store.stats("c").coldRows()).isZero();
    }

    @Test
    void shouldObeyTheHighRiskGateWhenEvicting() {
        clock.advance(System.currentTimeMillis() + 3_600_000 - clock.millis());
        control.updateGate("c", States.state("c", "c", IntegrityLevel.STRESS, GateAction.DEFER));

        CommandAck refused = executor.execute(command(Strategies.EVICT_COLD_DATA, Map.of()));

        assertThat(refused.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(refused.getDetail()).contains("DEFER");
        assertThat(store.stats("c").coldRows()).isZero();
    }

    @Test
    void shouldFailWhenTheStrategyIsNotTheIndexs() {
        CommandAck ack = executor.execute(command(Strategies.THROTTLE_INGESTION, Map.of()));

        assertThat(ack.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(ack.getDetail()).contains("throttle_ingestion");
    }

    @Test
    void shouldFailNamingTheParameterWhenAParameterIsBad() {
        CommandAck ack = executor.execute(command(Strategies.COMPACT_INDEXES, Map.of("slice_millis", "soon")));

        assertThat(ack.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(ack.getDetail()).contains("slice_millis");
    }

    private RemediationCommand command(String strategy, Map<String, String> params) {
        return RemediationCommand.newBuilder()
                .setCommandId("cmd-" + ++sequence).setCollection("c").setStrategy(strategy)
                .setAction(CommandAction.APPLY).setParams(new HashMap<>(params))
                .setIssuedAtMillis(clock.millis()).setExpiresAtMillis(clock.millis() + 60_000).build();
    }

    private RemediationCommand rollback(String strategy, String of) {
        return RemediationCommand.newBuilder(command(strategy, Map.of()))
                .setAction(CommandAction.ROLLBACK).setRollbackOf(of).build();
    }

    /** Centroid sets in a map; a rebuild always yields two centroids. */
    private static final class FakeCentroids implements CentroidRebuilder {

        final Map<String, List<CentroidStats>> sets = new HashMap<>();

        @Override
        public List<CentroidStats> current(String collection) {
            return sets.getOrDefault(collection, List.of());
        }

        @Override
        public List<CentroidStats> rebuild(String collection) {
            List<CentroidStats> fresh = List.of(new CentroidStats("c0", 0.5, 0.1, List.of(0)),
                    new CentroidStats("c1", 0.5, 0.1, List.of(0)));
            sets.put(collection, fresh);
            return fresh;
        }

        @Override
        public void install(String collection, List<CentroidStats> centroids) {
            sets.put(collection, centroids);
        }
    }
}
