package io.ruvector.healing.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.healing.learn.StrategyWeights;
import io.ruvector.schemas.healing.Strategies;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StrategyRegistryTest {

    private static final Set<String> ALL = Set.copyOf(Strategies.ALL);
    private static final String HOTSPOT = "hotspot_congestion";

    private static StrategyWeights weights(Map<String, Double> learned) {
        return s -> learned.getOrDefault(s, 1.0);
    }

    @Test
    void shouldListAllEightWithTheTableValuesWhenDefault() {
        StrategyRegistry r = StrategyRegistry.defaults(ALL);

        assertThat(r.all()).extracting(StrategyDescriptor::name).containsExactlyElementsOf(Strategies.ALL);
        assertThat(r.byName("throttle_ingestion")).hasValueSatisfying(d -> {
            assertThat(d.impact()).isEqualTo(0.4);
            assertThat(d.reversible()).isTrue();
            assertThat(d.handles()).containsExactlyInAnyOrder(HOTSPOT, "memory_pressure");
            assertThat(d.estimatedDuration()).isEqualTo(Duration.ofSeconds(60));
        });
        assertThat(r.byName("compact_indexes")).hasValueSatisfying(d -> {
            assertThat(d.impact()).isEqualTo(0.5);
            assertThat(d.reversible()).isFalse();
            assertThat(d.handles()).containsExactly("index_fragmentation");
        });
        assertThat(r.byName("pause_maintenance").orElseThrow().impact()).isEqualTo(0.1);
        assertThat(r.byName("scale_replicas").orElseThrow().estimatedDuration()).isEqualTo(Duration.ofSeconds(300));
        assertThat(r.byName("no_such")).isEmpty();
    }

    @Test
    void shouldRequireApprovalOnlyForScaleReplicasWhenDefault() {
        StrategyRegistry r = StrategyRegistry.defaults(ALL);

        assertThat(r.all()).filteredOn(StrategyDescriptor::requiresApproval)
                .extracting(StrategyDescriptor::name).containsExactly("scale_replicas");
    }

    @Test
    void shouldListButNeverSelectUnavailableStrategiesWhenNoExecutorIsBuilt() {
        StrategyRegistry r = StrategyRegistry.defaults(Set.of("throttle_ingestion"));

        assertThat(r.all()).hasSize(8);
        StrategyDescriptor drain = r.byName("drain_hot_partition").orElseThrow();
        assertThat(drain.available()).isFalse();
        assertThat(drain.unavailableReason()).isEqualTo("no executor is built for drain_hot_partition yet");
        // drain weighs far more and has lower impact than throttle, yet cannot be chosen.
        assertThat(r.select(HOTSPOT, 1.0, Set.of(), weights(Map.of("drain_hot_partition", 2.0))))
                .map(StrategyDescriptor::name).hasValue("throttle_ingestion");
        assertThat(r.candidates(HOTSPOT, 1.0, Set.of())).extracting(StrategyDescriptor::name)
                .containsExactly("throttle_ingestion");
        assertThat(r.select("centroid_skew", 1.0, Set.of(), StrategyWeights.NEUTRAL)).isEmpty();
    }

    @Test
    void shouldFilterByImpactWhenALimitIsGiven() {
        StrategyRegistry r = StrategyRegistry.defaults(ALL);

        assertThat(r.candidates(HOTSPOT, 0.3, Set.of())).extracting(StrategyDescriptor::name)
                .containsExactly("rebalance_partitions", "drain_hot_partition", "scale_replicas");
        assertThat(r.candidates("index_fragmentation", 0.49, Set.of())).isEmpty();
        assertThat(r.candidates("index_fragmentation", 0.5, Set.of())).extracting(StrategyDescriptor::name)
                .containsExactly("compact_indexes");
        assertThat(r.select(HOTSPOT, 0.3, Set.of(), weights(Map.of("throttle_ingestion", 2.0))))
                .map(StrategyDescriptor::name).hasValue("scale_replicas");
    }

    @Test
    void shouldSkipExcludedStrategiesWhenSelecting() {
        StrategyRegistry r = StrategyRegistry.defaults(ALL);

        assertThat(r.select(HOTSPOT, 1.0, Set.of("scale_replicas", "drain_hot_partition"), StrategyWeights.NEUTRAL))
                .map(StrategyDescriptor::name).hasValue("rebalance_partitions");
        assertThat(r.select("maintenance_contention", 1.0, Set.of("pause_maintenance"), StrategyWeights.NEUTRAL))
                .isEmpty();
    }

    @Test
    void shouldPickTheHigherWeightWhenLearnedWeightsDiffer() {
        StrategyRegistry r = StrategyRegistry.defaults(ALL);

        assertThat(r.select("memory_pressure", 1.0, Set.of(), weights(Map.of("throttle_ingestion", 1.3))))
                .map(StrategyDescriptor::name).hasValue("throttle_ingestion");
        assertThat(r.select("memory_pressure", 1.0, Set.of(), weights(Map.of("throttle_ingestion", 0.9))))
                .map(StrategyDescriptor::name).hasValue("evict_cold_data");
    }

    @Test
    void shouldBreakTiesByLowerImpactThenNameWhenWeightsAreEqual() {
        StrategyRegistry r = StrategyRegistry.defaults(ALL);

        // scale_replicas has the lowest hotspot impact (0.2).
        assertThat(r.select(HOTSPOT, 1.0, Set.of(), StrategyWeights.NEUTRAL))
                .map(StrategyDescriptor::name).hasValue("scale_replicas");
        // drain and rebalance both 0.3: by name.
        assertThat(r.select(HOTSPOT, 1.0, Set.of("scale_replicas"), StrategyWeights.NEUTRAL))
                .map(StrategyDescriptor::name).hasValue("drain_hot_partition");
    }

    @Test
    void shouldNeverSelectWhenTheProblemIsUnknown() {
        StrategyDescriptor claimsUnknown = new StrategyDescriptor("x", Set.of("unknown"), 0.1, true,
                Duration.ofSeconds(1), false, true, "");
        StrategyRegistry r = new StrategyRegistry(java.util.List.of(claimsUnknown));

        assertThat(r.candidates("unknown", 1.0, Set.of())).hasSize(1);
        assertThat(r.select("unknown", 1.0, Set.of(), StrategyWeights.NEUTRAL)).isEmpty();
    }

    @Test
    void shouldRejectUnknownStrategyNamesWhenDeclaredAvailable() {
        assertThatThrownBy(() -> StrategyRegistry.defaults(Set.of("throttle_ingestion", "teleport")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("teleport");
    }

    @Test
    void shouldRequireAReasonWhenADescriptorIsUnavailable() {
        assertThatThrownBy(() -> new StrategyDescriptor("x", Set.of(), 0.1, true, Duration.ZERO, false, false, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unavailableReason");
        assertThatThrownBy(() -> new StrategyDescriptor("x", Set.of(), 1.1, true, Duration.ZERO, false, true, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("impact");
    }
}
