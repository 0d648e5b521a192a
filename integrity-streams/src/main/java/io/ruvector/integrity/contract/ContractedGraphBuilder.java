package io.ruvector.integrity.contract;

import io.ruvector.integrity.graph.EdgeType;
import io.ruvector.integrity.graph.NodeRef;
import io.ruvector.integrity.graph.OperationalGraph;
import io.ruvector.schemas.CdcStats;
import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.InstanceStats;
import io.ruvector.schemas.MaintenanceJobStats;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.StandbyStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds the contracted operational graph of ARCHITECTURE.md §4 from merged {@link Telemetry}.
 *
 * <p>Nodes: {@code ingest:cdc} (always node 0), {@code partition:p}, {@code instance:h} for each
 * host of an active task, {@code standby:p@h}, {@code centroid:c}, {@code maintenance:j}.
 * Capacities (the graph clamps them to [0.01, 1]), with h(p) the {@link PartitionHealth}:
 * <ul>
 *   <li>{@code routing_link} ingest—p: min(1 − lag share, 1 − capture share, h(p)) (both shares 0
 *       while the scope is in its initial load, {@link Baseline#isLoading()}), where the
 *       capture share is max(slotLagMillis / lagBudgetMillis, slotLagBytes / slotLagBudgetBytes)
 *       of the freshest CDC sample (0 without one; the millis count only while the slot holds more
 *       than {@link #IDLE_SLOT_BYTES}, and not while the capture is throttled, when only the bytes do);</li>
 *   <li>{@code partition_link} p—q for every pair: min(h(p), h(q));</li>
 *   <li>{@code shard_link} p—host(p): min(1 − instance p99 / latencyBudgetMicros, h(p)); the
 *       partition's own p99 is already in h(p);</li>
 *   <li>{@code centroid_route} c—p for each partition listed by the centroid (all when it lists
 *       none): min(centroid health, h(p));</li>
 *   <li>{@code replication} p—standby: 1 − standby lag / standbyLagBudgetRecords;</li>
 *   <li>{@code dependency} p—job for each partition of the job (all when it lists none): 0.1 when
 *       the job is overrunning or in state CONTENDING (and not PAUSED), else 1.0.</li>
 * </ul>
 * The rule behind the min(…, h(p)): a link that carries work into or out of a partition is no
 * stronger than the partition. Standby and maintenance links are the partition's own and keep
 * their own formula, so that their problems show as their own edges.
 *
 * <p>Node budget: centroids beyond {@code maxCentroids}, or beyond what {@code maxNodes} leaves
 * after the other nodes, are dropped, the healthiest first (a healthy centroid cannot be in a
 * minimum cut that a sick one is not). Stateless and thread-safe.
 */
public final class ContractedGraphBuilder {

    public static final NodeRef INGEST = new NodeRef("ingest", "cdc");
    static final double DEGRADED_DEPENDENCY = 0.1;

    private final GraphBudgets budgets;

    public ContractedGraphBuilder(GraphBudgets budgets) {
        this.budgets = Objects.requireNonNull(budgets, "budgets");
    }

    public static NodeRef partition(int p) {
        return new NodeRef("partition", Integer.toString(p));
    }

    public static NodeRef instance(String host) {
        return new NodeRef("instance", host);
    }

    public static NodeRef standby(int p, String host) {
        return new NodeRef("standby", p + "@" + host);
    }

    public static NodeRef centroid(String id) {
        return new NodeRef("centroid", id);
    }

    public static NodeRef maintenance(String id) {
        return new NodeRef("maintenance", id);
    }

    public ContractedGraph build(Telemetry telemetry) {
        return build(telemetry, null);
    }

    /**
     * @param baseline what is normal for the scope (see {@link Baseline}), or null to score
     *                 centroids against perfect balance and rows against the mean
     */
    public ContractedGraph build(Telemetry telemetry, Baseline baseline) {
        Objects.requireNonNull(telemetry, "telemetry");
        OperationalGraph.Builder b = OperationalGraph.builder();
        int ingest = b.addNode(INGEST);
        Map<Integer, PartitionStats> partitions = telemetry.partitions();
        PartitionHealth.LoadMeans means = PartitionHealth.LoadMeans.of(partitions.values());
        // an initial load's backlog is the load itself (see Baseline.isLoading): not scored
        boolean loading = baseline != null && baseline.isLoading();
        Map<Integer, PartitionHealth> health = new TreeMap<>();
        Map<Integer, Integer> nodeOf = new TreeMap<>();
        for (PartitionStats p : partitions.values()) {
            double expectedRows = baseline == null ? 1.0 : baseline.expectedRowLoad(p.getPartition());
            health.put(p.getPartition(), PartitionHealth.of(p, means, budgets, expectedRows, loading));
            nodeOf.put(p.getPartition(), b.addNode(partition(p.getPartition())));
        }
        double capture = loading ? 0.0 : captureShare(telemetry.cdc().orElse(null));
        List<Integer> ids = new ArrayList<>(nodeOf.keySet());
        for (int i = 0; i < ids.size(); i++) {
            int p = ids.get(i);
            double hp = health.get(p).health();
            PartitionStats stats = partitions.get(p);
            double lagShare = loading ? 0.0 : lagShare(stats);
            b.addEdge(ingest, nodeOf.get(p), EdgeType.ROUTING_LINK, min(1.0 - lagShare, 1.0 - capture, hp));
            for (int j = i + 1; j < ids.size(); j++) {
                int q = ids.get(j);
                b.addEdge(nodeOf.get(p), nodeOf.get(q), EdgeType.PARTITION_LINK,
                        Math.min(hp, health.get(q).health()));
            }
            InstanceStats host = telemetry.instances().get(stats.getHost());
            double hostLatency = host == null || loading ? 0.0
                    : PartitionHealth.latencyShare(host.getP99LatencyMicros(), budgets.latencyBudgetMicros());
            b.addEdge(nodeOf.get(p), b.addNode(instance(stats.getHost())), EdgeType.SHARD_LINK,
                    Math.min(1.0 - hostLatency, hp));
            for (StandbyStats s : stats.getStandbys()) {
                b.addEdge(nodeOf.get(p), b.addNode(standby(p, s.getHost())), EdgeType.REPLICATION,
                        1.0 - PartitionHealth.ratio(s.getLagRecords(), budgets.standbyLagBudgetRecords()));
            }
        }
        addJobs(b, telemetry.jobs().values(), nodeOf);
        int dropped = addCentroids(b, telemetry.centroids(), nodeOf, health, baseline);
        return new ContractedGraph(b.build(), health, dropped);
    }

    /** How far partition {@code stats} is behind, as a share of the lag budgets (1 = fully behind). */
    public double lagShare(PartitionStats stats) {
        return Math.max(PartitionHealth.ratio(stats.getLagRecords(), budgets.lagBudgetRecords()),
                PartitionHealth.ratio(stats.getLagMillis(), budgets.lagBudgetMillis()));
    }

    /**
     * Whether an initial load has caught up in {@code telemetry}: the capture's snapshot is over and
     * every partition is within a tenth of its lag budgets, so ending the grace cannot by itself
     * push λ below the normal threshold.
     */
    public boolean caughtUp(Telemetry telemetry) {
        boolean snapshot = telemetry.cdc().map(c -> c.getSnapshotLoading()).orElse(false);
        return !snapshot && !telemetry.partitions().isEmpty()
                && telemetry.partitions().values().stream().allMatch(p -> lagShare(p) <= 0.1);
    }

    /**
     * A slot holding at most this much WAL has nothing pending but the capture's own watermark
     * messages (one every 100 ms, confirmed once a second) and background records; whatever
     * commit → capture delay a reporter still carries, the ingest is not behind in time.
     */
    public static final long IDLE_SLOT_BYTES = 64 * 1024;

    private double captureShare(CdcStats cdc) {
        if (cdc == null) {
            return 0.0;
        }
        // An idle slot has no lag in time: a capture that last saw a change committed 11 s before it
        // was captured would otherwise report those 11 s forever after writes stopped.
        if (cdc.getSlotLagBytes() <= IDLE_SLOT_BYTES) {
            return 0.0;
        }
        double bytes = PartitionHealth.ratio(cdc.getSlotLagBytes(), budgets.slotLagBudgetBytes());
        if (cdc.getCurrentThrottle() < 1.0) {
            // While the capture is throttled, changes wait in the slot on purpose (that is how a
            // throttle protects the partitions): their age is the throttle's effect, not a fault.
            // The WAL they hold still counts, since a slot past its limit would lose data.
            return bytes;
        }
        return Math.max(PartitionHealth.ratio(cdc.getSlotLagMillis(), budgets.lagBudgetMillis()), bytes);
    }

    private static void addJobs(OperationalGraph.Builder b, Iterable<MaintenanceJobStats> jobs,
                                Map<Integer, Integer> nodeOf) {
        for (MaintenanceJobStats job : jobs) {
            List<Integer> targets = targets(job.getPartitions(), nodeOf);
            if (targets.isEmpty()) {
                continue; // works on partitions this graph does not have: it would be an isolated node
            }
            // a job paused at a checkpoint holds no lock and uses no I/O: it no longer contends
            boolean paused = "PAUSED".equalsIgnoreCase(job.getState());
            boolean degraded = !paused && (job.getOverrunning() || "CONTENDING".equalsIgnoreCase(job.getState()));
            int node = b.addNode(maintenance(job.getId()));
            for (int p : targets) {
                b.addEdge(nodeOf.get(p), node, EdgeType.DEPENDENCY, degraded ? DEGRADED_DEPENDENCY : 1.0);
            }
        }
    }

    private int addCentroids(OperationalGraph.Builder b, List<CentroidStats> centroids, Map<Integer, Integer> nodeOf,
                             Map<Integer, PartitionHealth> health, Baseline baseline) {
        if (centroids.isEmpty() || nodeOf.isEmpty()) {
            return 0;
        }
        double meanDistance = CentroidHealth.meanDistance(centroids);
        Map<String, Double> calibrated = baseline == null ? Map.of()
                : CentroidHealth.calibrated(centroids, baseline, budgets);
        record Scored(CentroidStats stats, double health) {
        }
        List<Scored> scored = new ArrayList<>();
        for (CentroidStats c : centroids) {
            Double h = calibrated.get(c.getId());
            scored.add(new Scored(c, h != null ? h : CentroidHealth.of(c, centroids.size(), meanDistance, budgets)));
        }
        scored.sort(Comparator.comparingDouble(Scored::health).thenComparing(s -> s.stats().getId()));
        int room = Math.max(0, budgets.maxNodes() - b.nodeCount());
        int keep = Math.min(scored.size(), Math.min(budgets.maxCentroids(), room));
        for (Scored s : scored.subList(0, keep)) {
            List<Integer> targets = targets(s.stats().getPartitions(), nodeOf);
            if (targets.isEmpty()) {
                continue;
            }
            int node = b.addNode(centroid(s.stats().getId()));
            for (int p : targets) {
                b.addEdge(node, nodeOf.get(p), EdgeType.CENTROID_ROUTE, Math.min(s.health(), health.get(p).health()));
            }
        }
        return scored.size() - keep;
    }

    /** The {@code listed} partitions that the graph has, or all of them when none is listed. */
    private static List<Integer> targets(List<Integer> listed, Map<Integer, Integer> nodeOf) {
        if (listed.isEmpty()) {
            return List.copyOf(nodeOf.keySet());
        }
        return listed.stream().filter(nodeOf::containsKey).distinct().toList();
    }

    private static double min(double a, double b, double c) {
        return Math.min(a, Math.min(b, c));
    }
}
