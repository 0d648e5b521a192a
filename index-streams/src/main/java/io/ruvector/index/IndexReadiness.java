package io.ruvector.index;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether this instance's index answers complete searches now, and why not: the application's
 * state, its active partitions, those still restoring their store from the changelog, those whose
 * in-memory index (graphs from their snapshots, rows from the store) is still being built, and each
 * partition's consumer lag on the vectors topic.
 *
 * @param state      the Kafka Streams state
 * @param partitions the local active partitions
 * @param restoring  active partitions whose store is being restored
 * @param loading    active partitions restored whose in-memory index is not built yet (a search
 *                   there would wait for the build)
 * @param lagRecords vectors-topic lag per active partition; a partition not fetched yet is absent
 * @param problems   what keeps the index from being ready, one line each; empty when ready
 */
public record IndexReadiness(KafkaStreams.State state, Set<Integer> partitions, Set<Integer> restoring, Set<Integer> loading,
                             Map<Integer, Long> lagRecords,
                             List<String> problems) {

    public IndexReadiness {
        Objects.requireNonNull(state, "state");
        partitions = Set.copyOf(partitions);
        restoring = Set.copyOf(restoring);
        loading = Set.copyOf(loading);
        lagRecords = Map.copyOf(lagRecords);
        problems = List.copyOf(problems);
    }

    /**
     * The readiness of an application in {@code state} from what it reports: {@code restoring} and
     * {@code loading} are narrowed to {@code partitions} (a partition restoring is not also listed
     * as loading), {@code lagRecords} likewise; the problems name each reason, in this order:
     * not running, restoring, loading, not fetched yet, behind by more than {@code lagBudgetRecords}.
     */
    public static IndexReadiness of(KafkaStreams.State state, Set<Integer> partitions, Set<Integer> restoring,
                                    Set<Integer> loading, Map<Integer, Long> lagRecords, long lagBudgetRecords,
                                    String vectorsTopic) {
        List<String> problems = new java.util.ArrayList<>();
        if (state != KafkaStreams.State.RUNNING) {
            problems.add("the index application is " + state + (state == KafkaStreams.State.REBALANCING
                    ? " (joining its group, partitions being assigned)" : ""));
            return new IndexReadiness(state, Set.of(), Set.of(), Set.of(), Map.of(), problems);
        }
        Set<Integer> restoringHere = new java.util.TreeSet<>(restoring);
        restoringHere.retainAll(partitions);
        if (!restoringHere.isEmpty()) {
            problems.add("partitions " + restoringHere + " are restoring their stores from the changelog");
        }
        Set<Integer> loadingHere = new java.util.TreeSet<>(loading);
        loadingHere.retainAll(partitions);
        loadingHere.removeAll(restoringHere);
        if (!loadingHere.isEmpty()) {
            // restored, but the graphs and rows are still being read into memory: a search would wait for that
            problems.add("partitions " + loadingHere + " are loading their index into memory (graph snapshots and rows)");
        }
        Set<Integer> unfetched = new java.util.TreeSet<>(partitions);
        unfetched.removeAll(lagRecords.keySet());
        if (!unfetched.isEmpty()) {
            problems.add("partitions " + unfetched + " have not fetched from " + vectorsTopic + " yet");
        }
        Map<Integer, Long> own = new java.util.TreeMap<>(lagRecords);
        own.keySet().retainAll(partitions);
        Map<Integer, Long> behind = new java.util.TreeMap<>(own);
        behind.values().removeIf(lag -> lag <= lagBudgetRecords);
        if (!behind.isEmpty()) {
            problems.add("partitions behind the vectors topic by more than " + lagBudgetRecords + " records: " + behind);
        }
        return new IndexReadiness(state, partitions, restoringHere, loadingHere, own, problems);
    }

    public boolean ready() {
        return problems.isEmpty();
    }

    /** Whether the index has stopped for good (ERROR, or shut down): a restart is needed, not patience. */
    public boolean failed() {
        return state.isShuttingDown() || state.hasCompletedShutdown(); // PENDING_SHUTDOWN, PENDING_ERROR, NOT_RUNNING, ERROR
    }

    /** Whether the application has not reached RUNNING since it (re)joined its group. */
    public boolean starting() {
        return state == KafkaStreams.State.CREATED || state == KafkaStreams.State.REBALANCING;
    }

    /** Records behind the vectors topic, summed over the active partitions. */
    public long totalLagRecords() {
        return lagRecords.values().stream().mapToLong(Long::longValue).sum();
    }
}
