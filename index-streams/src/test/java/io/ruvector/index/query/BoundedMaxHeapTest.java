package io.ruvector.index.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.index.kernel.RandomVectors;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BoundedMaxHeapTest {

    @Test
    void shouldKeepTheKSmallestSortedWhenOfferedManyWithDuplicates() {
        SplittableRandom random = new SplittableRandom(RandomVectors.seed("heap"));
        BoundedMaxHeap heap = new BoundedMaxHeap(1);
        for (int trial = 0; trial < 200; trial++) {
            int n = random.nextInt(200);
            int k = 1 + random.nextInt(50);
            double[] distances = new double[n];
            for (int i = 0; i < n; i++) {
                // Few distinct values so ties are common; offer ordinals in random order.
                distances[i] = random.nextInt(10) == 0 ? Double.NaN : random.nextInt(20) / 4.0;
            }
            int[] order = shuffled(random, n);
            heap.reset(k);
            for (int ordinal : order) {
                heap.offer(ordinal, distances[ordinal]);
            }
            Integer[] expected = new Integer[n];
            Arrays.setAll(expected, i -> i);
            Arrays.sort(expected, (a, b) -> BoundedMaxHeap.before(distances[a], a, distances[b], b) ? -1
                    : BoundedMaxHeap.before(distances[b], b, distances[a], a) ? 1 : 0);
            SearchResult result = heap.drainSorted();
            int m = Math.min(k, n);
            assertThat(result.size()).isEqualTo(m);
            for (int i = 0; i < m; i++) {
                assertThat(result.ordinal(i)).isEqualTo(expected[i]);
                assertThat(Double.valueOf(result.distance(i))).isEqualTo(Double.valueOf(distances[expected[i]]));
            }
            assertThat(heap.size()).isZero();
        }
    }

    @Test
    void shouldTreatNegativeZeroAsEqualToZeroWhenOrdering() {
        assertThat(BoundedMaxHeap.before(-0.0, 2, 0.0, 1)).isFalse();
        assertThat(BoundedMaxHeap.before(0.0, 1, -0.0, 2)).isTrue();
        assertThat(BoundedMaxHeap.before(Double.POSITIVE_INFINITY, 9, Double.NaN, 1)).isTrue();
        assertThat(BoundedMaxHeap.before(Double.NaN, 1, Double.NaN, 2)).isTrue();
    }

    @Test
    void shouldRejectWhenKIsBelowOne() {
        assertThatThrownBy(() -> new BoundedMaxHeap(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int[] shuffled(SplittableRandom random, int n) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
