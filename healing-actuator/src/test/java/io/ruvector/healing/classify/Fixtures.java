package io.ruvector.healing.classify;

import io.ruvector.schemas.CentroidStats;
import io.ruvector.schemas.EffectiveIntegrityPolicy;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.MaintenanceJobStats;
import io.ruvector.schemas.OperationalEdgeType;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.StandbyStats;
import io.ruvector.schemas.WitnessEdge;
import java.util.ArrayList;
import java.util.List;

/** Scripted witness edges and samples, written the way integrity-streams writes them (type + id). */
final class Fixtures {

    static final long LAG_BUDGET_RECORDS = 10_000;
    static final long LAG_BUDGET_MILLIS = 30_000;

    private Fixtures() {
    }

    static WitnessEdge edge(OperationalEdgeType type, String sourceType, String sourceId, String targetType,
                            String targetId) {
        return WitnessEdge.newBuilder().setEdgeType(type).setSourceType(sourceType).setSourceId(sourceId)
                .setTargetType(targetType).setTargetId(targetId).setCapacity(0.1).setFlow(0.1).build();
    }

    /** The partition links a cut isolating {@code hot} from {@code cold} crosses. */
    static List<WitnessEdge> partitionCut(List<Integer> hot, List<Integer> cold) {
        List<WitnessEdge> out = new ArrayList<>();
        for (int h : hot) {
            for (int c : cold) {
                int a = Math.min(h, c);
                int b = Math.max(h, c);
                out.add(edge(OperationalEdgeType.PARTITION_LINK, "partition", Integer.toString(a), "partition",
                        Integer.toString(b)));
            }
        }
        return out;
    }

    static WitnessEdge routing(int p) {
        return edge(OperationalEdgeType.ROUTING_LINK, "ingest", "cdc", "partition", Integer.toString(p));
    }

    static WitnessEdge replication(int p, String host) {
        return edge(OperationalEdgeType.REPLICATION, "partition", Integer.toString(p), "standby", p + "@" + host);
    }

    static WitnessEdge dependency(int p, String job) {
        return edge(OperationalEdgeType.DEPENDENCY, "partition", Integer.toString(p), "maintenance", job);
    }

    static WitnessEdge centroidRoute(String c, int p) {
        return edge(OperationalEdgeType.CENTROID_ROUTE, "centroid", c, "partition", Integer.toString(p));
    }

    static WitnessEdge shard(int p, String host) {
        return edge(OperationalEdgeType.SHARD_LINK, "partition", Integer.toString(p), "instance", host);
    }

    static IntegrityState state(List<WitnessEdge> witnesses) {
        EffectiveIntegrityPolicy policy = EffectiveIntegrityPolicy.newBuilder()
                .setThresholdHigh(0.8).setThresholdLow(0.3).setSamplesToStress(3).setSamplesToCritical(2)
                .setRecoveryHoldSeconds(300).setRecoveryMargin(0.1).setCooldownSeconds(60)
                .setLagBudgetRecords(LAG_BUDGET_RECORDS).setLagBudgetMillis(LAG_BUDGET_MILLIS)
                .setLatencyBudgetMicros(50_000).setStandbyLagBudgetRecords(10_000).setErrorRateBudget(0.05)
                .setLoadSkewBudget(3.0).setSource("default").build();
        return IntegrityState.newBuilder().setScope("docs").setCollection("docs").setState(IntegrityLevel.STRESS)
                .setSinceMillis(1_000).setLastSampleMillis(2_000).setLambda(0.5).setLambdaCut(1.5)
                .setWitnessEdges(witnesses).setPolicy(policy).build();
    }

    static PartitionStats.Builder partition(int p) {
        return PartitionStats.newBuilder().setPartition(p).setHost("host-a:8080").setVectorCount(1_000)
                .setAppliedPerSecond(100.0);
    }

    static IntegritySample.Builder index(long at, PartitionStats... partitions) {
        return IntegritySample.newBuilder().setCollection("docs").setSampledAtMillis(at).setSource(SampleSource.INDEX)
                .setInstanceId("host-a:8080").setPartitions(List.of(partitions));
    }

    static StandbyStats standby(String host, long lag) {
        return StandbyStats.newBuilder().setHost(host).setLagRecords(lag).build();
    }

    static CentroidStats centroid(String id, double share) {
        return CentroidStats.newBuilder().setId(id).setSizeShare(share).setMeanDistance(1.0).build();
    }

    static MaintenanceJobStats job(String id) {
        return MaintenanceJobStats.newBuilder().setId(id).setKind("compaction").setState("CONTENDING")
                .setRunMillis(1_000).setOverrunning(true).build();
    }

    static Observation observe(List<WitnessEdge> witnesses, IntegritySample... samples) {
        return new Observation(state(witnesses), List.of(samples));
    }
}
