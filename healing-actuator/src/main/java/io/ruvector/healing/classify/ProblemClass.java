package io.ruvector.healing.classify;

import io.ruvector.schemas.healing.Strategies;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The root cause the classifier found behind a degraded integrity state (ARCHITECTURE.md §5).
 * Each value carries its own evidence, so the outcome record, the API and the chosen strategy's
 * parameters all read the same facts (the Cruise Control anomaly shape). A closed set: handle it
 * with {@code switch}.
 */
public sealed interface ProblemClass {

    /** The names in the classifier's order of precedence, {@code unknown} last. */
    List<String> NAMES = List.of("hotspot_congestion", "centroid_skew", "replication_lag", "maintenance_contention",
            "memory_pressure", "index_fragmentation", "unknown");

    /** The snake_case name, as in {@code HealingOutcome.problemClass} and a strategy's {@code handles}. */
    default String name() {
        return switch (this) {
            case HotspotCongestion h -> "hotspot_congestion";
            case CentroidSkew c -> "centroid_skew";
            case ReplicationLag r -> "replication_lag";
            case MaintenanceContention m -> "maintenance_contention";
            case MemoryPressure m -> "memory_pressure";
            case IndexFragmentation f -> "index_fragmentation";
            case Unknown u -> "unknown";
        };
    }

    /**
     * What the value carries, as strings, for {@code HealingOutcome.evidence}. Ordered, and
     * numbers printed with a fixed locale and precision, so that the signed record is the same
     * bytes wherever it is produced.
     */
    default Map<String, String> evidence() {
        Map<String, String> m = new LinkedHashMap<>();
        switch (this) {
            case HotspotCongestion h -> {
                m.put(Strategies.PARAM_PARTITIONS, join(h.partitions()));
                m.put("load_ratio", number(h.loadRatio()));
                m.put("cause", h.backlog() ? "backlog" : "partition_load");
            }
            case CentroidSkew c -> {
                m.put("centroids", join(c.centroids()));
                m.put("skew_factor", number(c.skewFactor()));
            }
            case ReplicationLag r -> {
                m.put("standbys", join(r.standbys()));
                m.put("lag_records", Long.toString(r.lagRecords()));
            }
            case MaintenanceContention mc -> {
                m.put("jobs", join(mc.jobs()));
                m.put("running_jobs", Integer.toString(mc.runningJobs()));
            }
            case MemoryPressure mp -> {
                m.put("used_fraction", number(mp.usedFraction()));
                m.put("used_bytes", Long.toString(mp.usedBytes()));
                m.put("budget_bytes", Long.toString(mp.budgetBytes()));
            }
            case IndexFragmentation f -> {
                m.put(Strategies.PARAM_PARTITIONS, join(f.partitions()));
                m.put("deleted_fraction", number(f.deletedFraction()));
            }
            case Unknown u -> m.put("witness_summary", u.witnessSummary());
        }
        return m;
    }

    /**
     * Partitions overloaded, or (a backlog) lagging behind the ingest.
     *
     * @param partitions the hot partitions, ascending
     * @param loadRatio  the hottest one's load over the mean load, or, for a backlog, its lag over
     *                   the lag budget; 0 when the samples do not report them
     * @param backlog    true when the ingest outruns the partitions (routing links to lagging
     *                   partitions), false when partitions are overloaded against each other
     *                   (partition links): only the latter is what moving buckets fixes
     */
    record HotspotCongestion(List<Integer> partitions, double loadRatio, boolean backlog) implements ProblemClass {
        public HotspotCongestion {
            partitions = List.copyOf(Objects.requireNonNull(partitions, "partitions"));
        }

        /** Partitions overloaded against each other. */
        public HotspotCongestion(List<Integer> partitions, double loadRatio) {
            this(partitions, loadRatio, false);
        }
    }

    /**
     * Oversized or loose k-means centroids.
     *
     * @param centroids  the centroid ids among the witness edges' endpoints, ascending
     * @param skewFactor the largest centroid's size share over the mean share (1 = balanced); 0 unreported
     */
    record CentroidSkew(List<String> centroids, double skewFactor) implements ProblemClass {
        public CentroidSkew {
            centroids = List.copyOf(Objects.requireNonNull(centroids, "centroids"));
        }
    }

    /**
     * Standby replicas behind their active task.
     *
     * @param standbys   standby node ids ({@code partition@host}), ascending
     * @param lagRecords the largest changelog lag among them, 0 when unreported
     */
    record ReplicationLag(List<String> standbys, long lagRecords) implements ProblemClass {
        public ReplicationLag {
            standbys = List.copyOf(Objects.requireNonNull(standbys, "standbys"));
        }
    }

    /**
     * Maintenance jobs contending with the partitions' own work.
     *
     * @param jobs        the maintenance job ids among the witness edges' endpoints, ascending
     * @param runningJobs maintenance jobs the samples report running now (all of them, not only these)
     */
    record MaintenanceContention(List<String> jobs, int runningJobs) implements ProblemClass {
        public MaintenanceContention {
            jobs = List.copyOf(Objects.requireNonNull(jobs, "jobs"));
        }
    }

    /**
     * The index uses more than its share of the memory budget.
     *
     * @param usedFraction usedBytes / budgetBytes
     * @param usedBytes    the sum of the partitions' memory
     * @param budgetBytes  the budget it was compared with
     */
    record MemoryPressure(double usedFraction, long usedBytes, long budgetBytes) implements ProblemClass {
    }

    /**
     * Too many deleted but not yet compacted graph nodes.
     *
     * @param partitions      the partitions over the fragmentation threshold, ascending
     * @param deletedFraction the collection's deleted fraction, weighted by the partitions' vector counts
     */
    record IndexFragmentation(List<Integer> partitions, double deletedFraction) implements ProblemClass {
        public IndexFragmentation {
            partitions = List.copyOf(Objects.requireNonNull(partitions, "partitions"));
        }
    }

    /**
     * None of the rules matched; never healed automatically.
     *
     * @param witnessSummary one line: the witness edges counted by edge type
     */
    record Unknown(String witnessSummary) implements ProblemClass {
        public Unknown {
            Objects.requireNonNull(witnessSummary, "witnessSummary");
        }
    }

    private static String join(List<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String number(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }
}
