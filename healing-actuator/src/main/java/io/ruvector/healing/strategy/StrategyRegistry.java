package io.ruvector.healing.strategy;

import static io.ruvector.schemas.healing.Strategies.COMPACT_INDEXES;
import static io.ruvector.schemas.healing.Strategies.DRAIN_HOT_PARTITION;
import static io.ruvector.schemas.healing.Strategies.EVICT_COLD_DATA;
import static io.ruvector.schemas.healing.Strategies.PAUSE_MAINTENANCE;
import static io.ruvector.schemas.healing.Strategies.REBALANCE_PARTITIONS;
import static io.ruvector.schemas.healing.Strategies.REBUILD_CENTROIDS;
import static io.ruvector.schemas.healing.Strategies.SCALE_REPLICAS;
import static io.ruvector.schemas.healing.Strategies.THROTTLE_INGESTION;

import io.ruvector.healing.learn.StrategyWeights;
import io.ruvector.schemas.healing.Strategies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The remediation strategies known to the engine and the choice among them (ARCHITECTURE.md §5).
 * Every strategy of the table is listed, so the API can show what exists; one without an executor
 * is marked unavailable and is never a candidate. Immutable and thread-safe.
 */
public final class StrategyRegistry {

    /** The problem class that is never healed automatically, whatever a strategy claims to handle. */
    static final String UNKNOWN = "unknown";

    private static final String HOTSPOT = "hotspot_congestion";
    private static final String MEMORY = "memory_pressure";

    private final Map<String, StrategyDescriptor> byName;

    /** A registry of exactly {@code descriptors}, in that order; names must be unique. */
    public StrategyRegistry(List<StrategyDescriptor> descriptors) {
        Map<String, StrategyDescriptor> m = new LinkedHashMap<>();
        for (StrategyDescriptor d : Objects.requireNonNull(descriptors, "descriptors")) {
            if (m.putIfAbsent(d.name(), d) != null) {
                throw new IllegalArgumentException("strategy " + d.name() + " is registered twice");
            }
        }
        this.byName = m;
    }

    /**
     * The eight strategies of §5 with the table's impact, reversibility and estimates;
     * those not in {@code availableStrategies} are unavailable ("no executor is built for … yet").
     *
     * @throws IllegalArgumentException for a name in {@code availableStrategies} that is no strategy
     */
    public static StrategyRegistry defaults(Set<String> availableStrategies) {
        Objects.requireNonNull(availableStrategies, "availableStrategies");
        Set<String> unknown = new TreeSet<>(availableStrategies);
        unknown.removeAll(Strategies.ALL);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("availableStrategies names unknown strategies " + unknown
                    + "; known: " + Strategies.ALL);
        }
        List<StrategyDescriptor> table = List.of(
                descriptor(THROTTLE_INGESTION, Set.of(HOTSPOT, MEMORY), 0.4, true, 60, false),
                descriptor(PAUSE_MAINTENANCE, Set.of("maintenance_contention"), 0.1, true, 30, false),
                descriptor(REBALANCE_PARTITIONS, Set.of(HOTSPOT), 0.3, true, 300, false),
                descriptor(COMPACT_INDEXES, Set.of("index_fragmentation"), 0.5, false, 120, false),
                descriptor(REBUILD_CENTROIDS, Set.of("centroid_skew"), 0.3, true, 60, false),
                descriptor(EVICT_COLD_DATA, Set.of(MEMORY), 0.3, true, 300, false),
                descriptor(DRAIN_HOT_PARTITION, Set.of(HOTSPOT), 0.3, true, 120, false),
                descriptor(SCALE_REPLICAS, Set.of(HOTSPOT), 0.2, true, 300, true));
        List<StrategyDescriptor> out = new ArrayList<>();
        for (StrategyDescriptor d : table) {
            out.add(availableStrategies.contains(d.name()) ? d
                    : d.unavailable("no executor is built for " + d.name() + " yet"));
        }
        return new StrategyRegistry(out);
    }

    private static StrategyDescriptor descriptor(String name, Set<String> handles, double impact, boolean reversible,
                                                 long seconds, boolean approval) {
        return new StrategyDescriptor(name, handles, impact, reversible, Duration.ofSeconds(seconds), approval, true,
                "");
    }

    /** Every strategy, available or not, in registration order. */
    public List<StrategyDescriptor> all() {
        return List.copyOf(byName.values());
    }

    public Optional<StrategyDescriptor> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The available strategies that handle {@code problemClass} within {@code maxImpact}, minus {@code excluded}. */
    public List<StrategyDescriptor> candidates(String problemClass, double maxImpact, Set<String> excluded) {
        Objects.requireNonNull(problemClass, "problemClass");
        Objects.requireNonNull(excluded, "excluded");
        return byName.values().stream()
                .filter(StrategyDescriptor::available)
                .filter(d -> d.handles(problemClass))
                .filter(d -> d.impact() <= maxImpact)
                .filter(d -> !excluded.contains(d.name()))
                .toList();
    }

    /**
     * The candidate with the highest learned weight; ties go to the lower impact (the smaller fix
     * first), then to the name, so the choice is deterministic. Never a strategy for
     * {@code unknown}: an unexplained problem needs a human.
     */
    public Optional<StrategyDescriptor> select(String problemClass, double maxImpact, Set<String> excluded,
                                               StrategyWeights weights) {
        return select(problemClass, maxImpact, excluded, weights, Set.of());
    }

    /**
     * As {@link #select(String, double, Set, StrategyWeights)}, with the strategies in
     * {@code awaitApproval} after the others at equal weight: a strategy that acts now goes before
     * one that would wait for an operator, until learning says otherwise.
     */
    public Optional<StrategyDescriptor> select(String problemClass, double maxImpact, Set<String> excluded,
                                               StrategyWeights weights, Set<String> awaitApproval) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(awaitApproval, "awaitApproval");
        if (UNKNOWN.equals(problemClass)) {
            return Optional.empty();
        }
        Comparator<StrategyDescriptor> best = Comparator
                .comparingDouble((StrategyDescriptor d) -> weights.weight(d.name())).reversed()
                .thenComparing(d -> awaitApproval.contains(d.name()))
                .thenComparingDouble(StrategyDescriptor::impact)
                .thenComparing(StrategyDescriptor::name);
        return candidates(problemClass, maxImpact, excluded).stream().min(best);
    }
}
