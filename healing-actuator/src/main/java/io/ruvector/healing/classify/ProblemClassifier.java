package io.ruvector.healing.classify;

import io.ruvector.schemas.EffectiveIntegrityPolicy;
import io.ruvector.schemas.OperationalEdgeType;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.WitnessEdge;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Names the root cause of a degraded scope from its witness edges and latest samples, deciding
 * in ARCHITECTURE.md §5's order; the first rule that matches wins:
 * <ol>
 *   <li><b>hotspot congestion</b>: more than {@code hotspotPartitionLinks} {@code partition_link}
 *       witness edges. The partition links form a complete graph, so a cut isolating a set S of
 *       partitions crosses every S × (rest) link: the partitions touching the most witness links
 *       are the cut-off (hot) side. <br>
 *       <i>Extension — a backlog:</i> also hotspot congestion when {@code routing_link} witness
 *       edges lead to partitions whose sampled lag is over {@code lagBudgetFraction} × the scope's
 *       lag budget ({@code lagBudgetRecords} or {@code lagBudgetMillis}). Then the ingest is the
 *       hot spot: it feeds those partitions faster than they apply. It must be classified, and as
 *       hotspot congestion, because {@code throttle_ingestion} is the strategy that fixes a
 *       backlog; left to the later rules it would end as {@code unknown} and never heal.
 *       Partitions = the lagging ones, load ratio = the largest lag over its budget. Routing
 *       witness edges without such lag (e.g. a slow CDC capture) are not a backlog;</li>
 *   <li><b>centroid skew</b>: more than {@code skewCentroidNodes} distinct centroid nodes among the
 *       witness edges' endpoints;</li>
 *   <li><b>replication lag</b>: any {@code replication} witness edge;</li>
 *   <li><b>maintenance contention</b>: more than {@code maintenanceDependencyEdges}
 *       {@code dependency} witness edges;</li>
 *   <li><b>memory pressure</b> (samples alone): the partitions' memory over
 *       {@code memoryBudgetFraction} × the budget;</li>
 *   <li><b>index fragmentation</b> (samples alone): any partition's deleted fraction over
 *       {@code fragmentationFraction};</li>
 *   <li>else <b>unknown</b>, with the witness edges counted by type.</li>
 * </ol>
 * Stateless and thread-safe.
 */
public final class ProblemClassifier {

    private final ClassifierSettings settings;
    private final LongSupplier maxMemory;

    public ProblemClassifier() {
        this(ClassifierSettings.DEFAULTS);
    }

    public ProblemClassifier(ClassifierSettings settings) {
        this(settings, () -> Runtime.getRuntime().maxMemory());
    }

    /** With the fallback memory budget injected, so a test does not depend on the JVM's heap. */
    public ProblemClassifier(ClassifierSettings settings, LongSupplier maxMemory) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.maxMemory = Objects.requireNonNull(maxMemory, "maxMemory");
    }

    public ClassifierSettings settings() {
        return settings;
    }

    /** This classifier with another memory budget (a healing setting overriding the runtime's); itself for 0. */
    public ProblemClassifier withMemoryBudget(long bytes) {
        if (bytes <= 0 || bytes == settings.memoryBudgetBytes()) {
            return this;
        }
        return new ProblemClassifier(new ClassifierSettings(settings.hotspotPartitionLinks(), settings.skewCentroidNodes(),
                settings.maintenanceDependencyEdges(), settings.memoryBudgetFraction(), bytes,
                settings.fragmentationFraction(), settings.lagBudgetFraction()), maxMemory);
    }

    public ProblemClass classify(Observation o) {
        Objects.requireNonNull(o, "o");
        List<WitnessEdge> edges = o.state().getWitnessEdges();
        SampleView samples = SampleView.of(o.samples());
        EffectiveIntegrityPolicy policy = o.state().getPolicy();
        return hotspot(edges, samples, policy)
                .or(() -> backlog(edges, samples, policy))
                .or(() -> centroidSkew(edges, samples))
                .or(() -> replicationLag(edges, samples))
                .or(() -> maintenanceContention(edges, samples))
                .or(() -> memoryPressure(samples))
                .or(() -> fragmentation(samples))
                .orElseGet(() -> new ProblemClass.Unknown(summary(edges)));
    }

    private Optional<ProblemClass> hotspot(List<WitnessEdge> edges, SampleView samples,
                                           EffectiveIntegrityPolicy policy) {
        Map<Integer, Integer> degree = new TreeMap<>();
        List<int[]> links = new ArrayList<>();
        for (WitnessEdge e : edges) {
            if (e.getEdgeType() != OperationalEdgeType.PARTITION_LINK) {
                continue;
            }
            Integer a = partition(e.getSourceType(), e.getSourceId());
            Integer b = partition(e.getTargetType(), e.getTargetId());
            if (a != null && b != null) {
                degree.merge(a, 1, Integer::sum);
                degree.merge(b, 1, Integer::sum);
                links.add(new int[] {a, b});
            }
        }
        if (links.size() <= settings.hotspotPartitionLinks()) {
            return Optional.empty();
        }
        int max = degree.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        Set<Integer> hot = new TreeSet<>();
        degree.forEach((p, d) -> {
            if (d == max) {
                hot.add(p);
            }
        });
        boolean sidesTie = links.stream().anyMatch(l -> hot.contains(l[0]) && hot.contains(l[1]));
        if (sidesTie) {
            // Two sides of equal size: the link count cannot tell which one was cut off, the samples can.
            narrowToMostPressed(hot, samples, policy);
        }
        double ratio = hot.stream().mapToDouble(samples::loadRatio).max().orElse(0.0);
        return Optional.of(new ProblemClass.HotspotCongestion(List.copyOf(hot), ratio));
    }

    /** Keeps the partitions at or above the mean pressure (load or lag share, whichever is worse). */
    private static void narrowToMostPressed(Set<Integer> hot, SampleView samples, EffectiveIntegrityPolicy policy) {
        Map<Integer, Double> pressure = new TreeMap<>();
        for (int p : hot) {
            pressure.put(p, Math.max(samples.loadRatio(p), samples.lagShare(p, policy)));
        }
        double mean = pressure.values().stream().mapToDouble(Double::doubleValue).average().orElse(0.0);
        pressure.forEach((p, v) -> {
            if (v < mean) {
                hot.remove(p);
            }
        });
    }

    private Optional<ProblemClass> backlog(List<WitnessEdge> edges, SampleView samples, EffectiveIntegrityPolicy policy) {
        Map<Integer, Double> lagging = new TreeMap<>();
        for (WitnessEdge e : edges) {
            if (e.getEdgeType() != OperationalEdgeType.ROUTING_LINK) {
                continue;
            }
            Integer p = Optional.ofNullable(partition(e.getTargetType(), e.getTargetId()))
                    .orElseGet(() -> partition(e.getSourceType(), e.getSourceId()));
            if (p == null) {
                continue;
            }
            double share = samples.lagShare(p, policy);
            if (share > settings.lagBudgetFraction()) {
                lagging.put(p, share);
            }
        }
        if (lagging.isEmpty()) {
            return Optional.empty();
        }
        double worst = lagging.values().stream().mapToDouble(Double::doubleValue).max().orElse(0.0);
        return Optional.of(new ProblemClass.HotspotCongestion(List.copyOf(lagging.keySet()), worst, true));
    }

    private Optional<ProblemClass> centroidSkew(List<WitnessEdge> edges, SampleView samples) {
        Set<String> centroids = endpoints(edges, null, "centroid");
        if (centroids.size() <= settings.skewCentroidNodes()) {
            return Optional.empty();
        }
        return Optional.of(new ProblemClass.CentroidSkew(List.copyOf(centroids), samples.centroidSkew()));
    }

    private Optional<ProblemClass> replicationLag(List<WitnessEdge> edges, SampleView samples) {
        if (count(edges, OperationalEdgeType.REPLICATION) == 0) {
            return Optional.empty();
        }
        Set<String> standbys = endpoints(edges, OperationalEdgeType.REPLICATION, "standby");
        long lag = standbys.stream().mapToLong(samples::standbyLag).max().orElse(0L);
        return Optional.of(new ProblemClass.ReplicationLag(List.copyOf(standbys), lag));
    }

    private Optional<ProblemClass> maintenanceContention(List<WitnessEdge> edges, SampleView samples) {
        if (count(edges, OperationalEdgeType.DEPENDENCY) <= settings.maintenanceDependencyEdges()) {
            return Optional.empty();
        }
        Set<String> jobs = endpoints(edges, OperationalEdgeType.DEPENDENCY, "maintenance");
        return Optional.of(new ProblemClass.MaintenanceContention(List.copyOf(jobs), samples.runningJobs()));
    }

    /**
     * Memory pressure from samples alone (memory does not enter λ): what lets the engine heal it
     * while the integrity state is normal, and verify a remediation by memory instead of λ.
     */
    public Optional<ProblemClass> memoryPressure(List<io.ruvector.schemas.IntegritySample> samples) {
        return memoryPressure(SampleView.of(samples));
    }

    private Optional<ProblemClass> memoryPressure(SampleView samples) {
        long used = 0;
        for (PartitionStats p : samples.partitions().values()) {
            used += Math.max(0, p.getMemoryBytes());
        }
        long budget = settings.memoryBudgetBytes() > 0 ? settings.memoryBudgetBytes() : maxMemory.getAsLong();
        // Runtime.maxMemory() is Long.MAX_VALUE when the heap has no limit: then there is no budget to press on.
        if (budget <= 0 || budget == Long.MAX_VALUE || used <= settings.memoryBudgetFraction() * budget) {
            return Optional.empty();
        }
        return Optional.of(new ProblemClass.MemoryPressure((double) used / budget, used, budget));
    }

    private Optional<ProblemClass> fragmentation(SampleView samples) {
        List<Integer> fragmented = new ArrayList<>();
        double weighted = 0;
        double plain = 0;
        long vectors = 0;
        for (PartitionStats p : samples.partitions().values()) {
            if (p.getDeletedFraction() > settings.fragmentationFraction()) {
                fragmented.add(p.getPartition());
            }
            weighted += p.getDeletedFraction() * p.getVectorCount();
            plain += p.getDeletedFraction();
            vectors += p.getVectorCount();
        }
        if (fragmented.isEmpty()) {
            return Optional.empty();
        }
        // Weighted by size: a small partition full of tombstones matters less than a large one; plain mean without counts.
        double fraction = vectors > 0 ? weighted / vectors : plain / samples.partitions().size();
        return Optional.of(new ProblemClass.IndexFragmentation(fragmented, fraction));
    }

    /** "N witness edges: type=count, ..." in the schema's edge-type order, or "no witness edges". */
    static String summary(List<WitnessEdge> edges) {
        if (edges.isEmpty()) {
            return "no witness edges";
        }
        Map<OperationalEdgeType, Integer> counts = new EnumMap<>(OperationalEdgeType.class);
        for (WitnessEdge e : edges) {
            counts.merge(e.getEdgeType(), 1, Integer::sum);
        }
        return edges.size() + " witness edge" + (edges.size() == 1 ? "" : "s") + ": " + counts.entrySet().stream()
                .map(c -> c.getKey().name().toLowerCase(Locale.ROOT) + "=" + c.getValue())
                .collect(Collectors.joining(", "));
    }

    private static long count(List<WitnessEdge> edges, OperationalEdgeType type) {
        return edges.stream().filter(e -> e.getEdgeType() == type).count();
    }

    /** Ids of the endpoints of node {@code nodeType}, over edges of {@code edgeType} (any when null). */
    private static Set<String> endpoints(List<WitnessEdge> edges, OperationalEdgeType edgeType, String nodeType) {
        Set<String> ids = new TreeSet<>();
        for (WitnessEdge e : edges) {
            if (edgeType != null && e.getEdgeType() != edgeType) {
                continue;
            }
            if (nodeType.equals(e.getSourceType())) {
                ids.add(e.getSourceId());
            }
            if (nodeType.equals(e.getTargetType())) {
                ids.add(e.getTargetId());
            }
        }
        return ids;
    }

    /** The partition number of a {@code partition:p} node, null for any other node (or a malformed id). */
    private static Integer partition(String type, String id) {
        if (!"partition".equals(type)) {
            return null;
        }
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
