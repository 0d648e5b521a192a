package io.ruvector.index.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** Where each partition of a scatter/gather is asked: active while it can answer, else a caught-up standby. */
class QueryRoutesTest {

    private static final HostInfo SELF = new HostInfo("a", 1);
    private static final HostInfo B = new HostInfo("b", 2);
    private static final HostInfo C = new HostInfo("c", 3);
    /** Partitions 0, 1 active here (standby on b); 2, 3 active on b (standby here and on c). */
    private static final IndexPlacement PLACEMENT = new IndexPlacement(Map.of(0, SELF, 1, SELF, 2, B, 3, B),
            Map.of(0, List.of(B), 1, List.of(B), 2, List.of(SELF, C), 3, List.of(SELF, C)));

    @Test
    void asksTheActiveReplicasWhileTheyAreReachable() {
        QueryRoutes routes = QueryRoutes.plan(Set.of(0, 1, 2, 3), PLACEMENT, SELF, host -> false, p -> true, Set.of());
        assertThat(routes.targets()).containsOnly(
                Map.entry(new QueryRoutes.Target(SELF, false), Set.of(0, 1)),
                Map.entry(new QueryRoutes.Target(B, false), Set.of(2, 3)));
        assertThat(routes.missing()).isEmpty();
    }

    @Test
    void asksTheStandbyHereFirstWhenTheActiveInstanceRefused() {
        QueryRoutes routes = QueryRoutes.plan(Set.of(0, 1, 2, 3), PLACEMENT, SELF, B::equals, p -> true, Set.of());
        assertThat(routes.targets()).containsOnly(
                Map.entry(new QueryRoutes.Target(SELF, false), Set.of(0, 1)),
                Map.entry(new QueryRoutes.Target(SELF, true), Set.of(2, 3)));
    }

    @Test
    void asksAnotherInstancesStandbyWhenTheOneHereIsBehind() {
        QueryRoutes routes = QueryRoutes.plan(Set.of(2, 3), PLACEMENT, SELF, B::equals, p -> p != 3, Set.of());
        assertThat(routes.targets()).containsOnly(
                Map.entry(new QueryRoutes.Target(SELF, true), Set.of(2)),
                Map.entry(new QueryRoutes.Target(C, true), Set.of(3)));
    }

    @Test
    void reportsAPartitionMissingWhenNoReplicaCanAnswer() {
        QueryRoutes routes = QueryRoutes.plan(Set.of(0, 2), PLACEMENT, SELF, host -> !host.equals(SELF), p -> false,
                Set.of(0));
        assertThat(routes.targets()).isEmpty();
        assertThat(routes.missing().get(0)).contains("did not answer");
        assertThat(routes.missing().get(2)).contains("unreachable");
    }

    @Test
    void asksAStandbyForAPartitionWhoseActiveJustFailedOrThatIsMoving() {
        IndexPlacement moving = new IndexPlacement(Map.of(0, SELF), Map.of(1, List.of(SELF)));
        QueryRoutes routes = QueryRoutes.plan(Set.of(0, 1), moving, SELF, host -> false, p -> p == 1, Set.of());
        assertThat(routes.targets()).containsOnly(
                Map.entry(new QueryRoutes.Target(SELF, false), Set.of(0)),
                Map.entry(new QueryRoutes.Target(SELF, true), Set.of(1)));
        QueryRoutes failed = QueryRoutes.plan(Set.of(2), PLACEMENT, SELF, host -> false, p -> true, Set.of(2));
        assertThat(failed.targets()).containsOnly(Map.entry(new QueryRoutes.Target(SELF, true), Set.of(2)));
    }
}
