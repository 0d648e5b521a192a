package io.ruvector.index.cluster;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterQueriesSlicesTest {

    @Test
    void shouldDealEveryPartitionIntoAtMostTheGivenNumberOfNonEmptySlices() {
        for (int partitions = 1; partitions <= 17; partitions++) {
            for (int count = 1; count <= 5; count++) {
                Set<Integer> all = new TreeSet<>();
                IntStream.range(0, partitions).forEach(all::add);
                List<Set<Integer>> slices = ClusterQueries.slices(all, count);
                assertThat(slices).hasSize(Math.min(count, partitions)).allSatisfy(s -> assertThat(s).isNotEmpty());
                Set<Integer> union = new HashSet<>();
                int total = 0;
                for (Set<Integer> slice : slices) {
                    union.addAll(slice);
                    total += slice.size();
                }
                assertThat(union).isEqualTo(all);
                assertThat(total).as("no partition twice").isEqualTo(partitions);
                int largest = slices.stream().mapToInt(Set::size).max().orElseThrow();
                int smallest = slices.stream().mapToInt(Set::size).min().orElseThrow();
                assertThat(largest - smallest).as("balanced").isLessThanOrEqualTo(1);
            }
        }
    }
}
