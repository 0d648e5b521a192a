package io.ruvector.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * What makes the index not ready, reason by reason: a partition whose in-memory index is still
 * being built (graphs from their snapshots, rows from the store) keeps the instance not ready like
 * one restoring or behind, because a search there would wait for the build.
 */
class IndexReadinessTest {

    private static final String TOPIC = "ruvector.vectors";

    @Test
    void shouldBeReadyOnlyWhenRunningRestoredLoadedFetchedAndWithinTheLagBudget() {
        assertThat(IndexReadiness.of(KafkaStreams.State.RUNNING, Set.of(0, 1), Set.of(), Set.of(), Map.of(0, 5L, 1, 0L),
                10, TOPIC).ready()).isTrue();
    }

    @Test
    void shouldNotBeReadyWhileALocalPartitionLoadsItsIndex() {
        IndexReadiness readiness = IndexReadiness.of(KafkaStreams.State.RUNNING, Set.of(0, 1), Set.of(), Set.of(1, 7),
                Map.of(0, 0L, 1, 0L), 10, TOPIC);
        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.loading()).as("only local partitions").containsExactly(1);
        assertThat(readiness.problems()).containsExactly(
                "partitions [1] are loading their index into memory (graph snapshots and rows)");
    }

    @Test
    void shouldNameARestoringPartitionOnceAndEveryOtherReason() {
        IndexReadiness readiness = IndexReadiness.of(KafkaStreams.State.RUNNING, Set.of(0, 1, 2), Set.of(0), Set.of(0, 1),
                Map.of(1, 50L, 9, 1L), 10, TOPIC);
        assertThat(readiness.restoring()).containsExactly(0);
        assertThat(readiness.loading()).as("a restoring partition is not also loading").containsExactly(1);
        assertThat(readiness.lagRecords()).containsOnlyKeys(1);
        assertThat(readiness.problems()).containsExactly(
                "partitions [0] are restoring their stores from the changelog",
                "partitions [1] are loading their index into memory (graph snapshots and rows)",
                "partitions [0, 2] have not fetched from ruvector.vectors yet",
                "partitions behind the vectors topic by more than 10 records: {1=50}");
    }

    @Test
    void shouldSayWhyWhenNotRunning() {
        IndexReadiness readiness = IndexReadiness.of(KafkaStreams.State.REBALANCING, Set.of(0), Set.of(0), Set.of(0),
                Map.of(), 10, TOPIC);
        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.starting()).isTrue();
        assertThat(readiness.problems()).containsExactly(
                "the index application is REBALANCING (joining its group, partitions being assigned)");
    }
}
