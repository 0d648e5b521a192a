package io.ruvector.index.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where each partition of one scatter/gather is asked: its active instance while that one is
 * reachable and has not just failed to answer, else a standby copy (this instance's own first),
 * else nowhere (the partition is reported missing with the reason).
 *
 * @param targets partitions grouped by the replica that answers them, in asking order
 * @param missing partition → why no replica can answer it now
 */
record QueryRoutes(Map<Target, Set<Integer>> targets, Map<Integer, String> missing) {

    /** One replica: an instance, and whether its standby copy (not its active task) answers. */
    record Target(HostInfo host, boolean standby) {
    }

    /**
     * @param partitions    the partitions to route
     * @param placement     where they live now
     * @param self          this instance
     * @param down          instances that refused a connection a moment ago
     * @param localStandby  partitions this instance's own standby copy may answer now (caught up)
     * @param activeFailed  partitions whose active replica was just asked and did not answer (e.g.
     *                      restoring after a move): a standby is asked, not the active again
     */
    static QueryRoutes plan(Set<Integer> partitions, IndexPlacement placement, HostInfo self, Predicate<HostInfo> down,
                            IntPredicate localStandby, Set<Integer> activeFailed) {
        Objects.requireNonNull(placement, "placement");
        Map<Target, Set<Integer>> targets = new LinkedHashMap<>();
        Map<Integer, String> missing = new TreeMap<>();
        for (int p : partitions) {
            HostInfo active = placement.activeHost(p);
            if (active != null && !activeFailed.contains(p) && (active.equals(self) || !down.test(active))) {
                targets.computeIfAbsent(new Target(active, false), t -> new TreeSet<>()).add(p);
                continue;
            }
            HostInfo standby = null;
            if (localStandby.test(p)) {
                standby = self;
            } else {
                for (HostInfo host : placement.standbyHosts(p)) {
                    if (!host.equals(self) && !down.test(host)) {
                        standby = host;
                        break;
                    }
                }
            }
            if (standby != null) {
                targets.computeIfAbsent(new Target(standby, true), t -> new TreeSet<>()).add(p);
            } else {
                missing.put(p, active == null ? "no active instance (rebalancing) and no standby that can answer"
                        : activeFailed.contains(p) ? "its active replica on " + active + " did not answer and no standby can"
                        : "its instance " + active + " is unreachable and no standby can answer");
            }
        }
        return new QueryRoutes(targets, missing);
    }
}
