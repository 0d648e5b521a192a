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
    void shouldSplitOverTheIdleCoresOnlyAndSearchInTurnWhenAllAreBusy() {
        assertThat(ClusterQueries.sliceCount(2, 2, 1)).as("alone on 2 cores").isEqualTo(2);
        assertThat(ClusterQueries.sliceCount(2, 2, 2)).as("another search running").isEqualTo(1);
        assertThat(ClusterQueries.sliceCount(8, 2, 5)).as("more searches than cores").isEqualTo(1);
        assertThat(ClusterQueries.sliceCount(1, 16, 1)).as("one partition").isEqualTo(1);
        assertThat(ClusterQueries.sliceCount(8, 16, 3)).isEqualTo(8);
        assertThat(ClusterQueries.sliceCount(8, 4, 2)).isEqualTo(3);
    }

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
