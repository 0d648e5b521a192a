package io.ruvector.healing.strategy;

import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.healing.Strategies;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where a {@code rebalance_partitions} step moves buckets: from the hottest partition of the
 * latest index samples to every partition at or below the mean load, the share of the hot partition's
 * buckets that carries its excess over the mean ({@code 1 − 1/heat}). A partition's heat is its
 * load over the mean load, the larger of its apply rate's (from 10 changes/s) and its row count's
 * (the measure the integrity graph weighs links by). Spreading the excess over all cold partitions, not one, keeps
 * the receiver from becoming the next hot spot.
 *
 * @param from     the hot partition
 * @param to       the partitions at or below the mean, coldest first
 * @param fraction share of the hot partition's buckets to move, in (0, 1)
 */
public record RebalanceTarget(int from, List<Integer> to, double fraction) {

    /** Never move more than this share in one step: the next sample shows whether it helped. */
    static final double MAX_FRACTION = 0.9;

    public RebalanceTarget {
        to = List.copyOf(to);
    }

    /**
     * The hot partition's load over the mean at which moving buckets can help on its own: below it
     * the load is even (a backlog everywhere, say) and throttling, not moving, is the remedy.
     */
    public static final double MIN_SKEW = 1.5;

    /** Apply rates below this many changes per second are no load (the integrity graph's own floor). */
    static final double MIN_RATE = 10.0;

    /** The step's params ({@code from_partition}, {@code to_partitions}, {@code move_fraction}). */
    public Map<String, String> params() {
        return Map.of(Strategies.PARAM_FROM_PARTITION, Integer.toString(from),
                Strategies.PARAM_TO_PARTITIONS, to.stream().map(String::valueOf).collect(Collectors.joining(",")),
                Strategies.PARAM_MOVE_FRACTION, String.format(java.util.Locale.ROOT, "%.3f", fraction));
    }

    /**
     * The target from {@code samples} (newer reports of a partition win); empty with fewer than two
     * partitions, or when the hottest carries less than {@code minSkew} times the mean load.
     */
    public static Optional<RebalanceTarget> choose(List<IntegritySample> samples, double minSkew) {
        Map<Integer, PartitionStats> partitions = new TreeMap<>();
        samples.stream().filter(s -> s.getSource() == SampleSource.INDEX)
                .sorted(Comparator.comparingLong(IntegritySample::getSampledAtMillis))
                .forEach(s -> s.getPartitions().forEach(p -> partitions.put(p.getPartition(), p)));
        if (partitions.size() < 2) {
            return Optional.empty();
        }
        double meanRows = partitions.values().stream().mapToLong(PartitionStats::getVectorCount).average().orElse(0);
        double meanRate = partitions.values().stream().mapToDouble(PartitionStats::getAppliedPerSecond).average().orElse(0);
        // as the integrity graph weighs it: a trickle under MIN_RATE is no load (a few writes a window
        // landing on one partition would read as many times the mean and keep it off the receivers)
        java.util.function.ToDoubleFunction<PartitionStats> heat = p -> Math.max(share(p.getVectorCount(), meanRows),
                p.getAppliedPerSecond() < MIN_RATE ? 0 : share(p.getAppliedPerSecond(), Math.max(meanRate, MIN_RATE)));
        Comparator<PartitionStats> byHeat = Comparator.comparingDouble(heat)
                .thenComparingInt(p -> -p.getPartition()); // ties: the lower partition number is hotter, deterministic
        PartitionStats hot = partitions.values().stream().max(byHeat).orElseThrow();
        double hotHeat = heat.applyAsDouble(hot);
        List<Integer> cold = partitions.values().stream()
                .filter(p -> p.getPartition() != hot.getPartition() && heat.applyAsDouble(p) <= 1.0).sorted(byHeat)
                .map(PartitionStats::getPartition).toList();
        if (cold.isEmpty() || hotHeat < Math.max(minSkew, 1.0) || hotHeat <= 1.0) {
            return Optional.empty();
        }
        return Optional.of(new RebalanceTarget(hot.getPartition(), cold, Math.min(MAX_FRACTION, 1.0 - 1.0 / hotHeat)));
    }

    private static double share(double value, double mean) {
        return mean > 0 ? value / mean : 0;
    }
}
