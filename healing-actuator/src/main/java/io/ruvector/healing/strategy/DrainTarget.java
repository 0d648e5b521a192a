package io.ruvector.healing.strategy;

import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.PartitionStats;
import io.ruvector.schemas.SampleSource;
import io.ruvector.schemas.healing.Strategies;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which partition a {@code drain_hot_partition} moves: the hot partition of {@link RebalanceTarget}
 * (heat ≥ {@link RebalanceTarget#MIN_SKEW}), when the instance running it runs more partitions
 * than the least-loaded instance of the latest index samples. Moving its task then takes the hot
 * partition's work off a shared instance without moving data; with one instance, or when the hot
 * partition already has an instance to itself, there is nothing to drain to.
 *
 * @param partition the partition whose active task moves
 * @param from      the instance running it now
 */
public record DrainTarget(int partition, String from) {

    /** The step's params ({@code from_partition}); the executor picks the least-loaded instance. */
    public Map<String, String> params() {
        return Map.of(Strategies.PARAM_FROM_PARTITION, Integer.toString(partition));
    }

    public static Optional<DrainTarget> choose(List<IntegritySample> samples) {
        Optional<RebalanceTarget> hot = RebalanceTarget.choose(samples, RebalanceTarget.MIN_SKEW);
        if (hot.isEmpty()) {
            return Optional.empty();
        }
        Map<Integer, PartitionStats> partitions = new TreeMap<>();
        samples.stream().filter(s -> s.getSource() == SampleSource.INDEX)
                .sorted(Comparator.comparingLong(IntegritySample::getSampledAtMillis))
                .forEach(s -> s.getPartitions().forEach(p -> partitions.put(p.getPartition(), p)));
        Map<String, Integer> perHost = new HashMap<>();
        partitions.values().forEach(p -> perHost.merge(p.getHost(), 1, Integer::sum));
        PartitionStats hottest = partitions.get(hot.get().from());
        if (hottest == null || perHost.size() < 2) {
            return Optional.empty();
        }
        int least = perHost.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        return perHost.get(hottest.getHost()) > least ? Optional.of(new DrainTarget(hottest.getPartition(),
                hottest.getHost())) : Optional.empty();
    }
}
