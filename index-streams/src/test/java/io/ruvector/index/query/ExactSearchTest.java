package io.ruvector.index.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.index.kernel.DistanceFunction;
import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.index.kernel.VectorDistances;
import io.ruvector.schemas.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExactSearchTest {

    @ParameterizedTest
    @EnumSource(Metric.class)
    void shouldEqualNaiveSortWhenDataIsRandom(Metric metric) {
        SplittableRandom random = new SplittableRandom(RandomVectors.seed("exact-search " + metric));
        ExactSearch search = new ExactSearch(VectorDistances.forMetric(metric));
        for (int trial = 0; trial < 30; trial++) {
            int dims = 1 + random.nextInt(40);
            int count = random.nextInt(300);
            float[] matrix = RandomVectors.matrix(random, count, dims);
            float[] query = RandomVectors.uniform(random, dims);
            // k ranges over 1, small, count and beyond count; the same instance is reused throughout.
            int k = 1 + random.nextInt(count + 10);
            assertThat(search.search(query, matrix, count, k))
                    .isEqualTo(naive(search.distance(), query, matrix, count, k, row -> true));
            int modulus = 2 + random.nextInt(5);
            IntPredicate filter = row -> row % modulus == 1;
            assertThat(search.search(query, matrix, count, k, filter))
                    .isEqualTo(naive(search.distance(), query, matrix, count, k, filter));
        }
    }

    @Test
    void shouldReturnEveryRowSortedWhenKExceedsCount() {
        ExactSearch search = new ExactSearch(VectorDistances.forMetric(Metric.L1));
        float[] matrix = {5, 0, 1, 0, 3, 0, 2, 0};
        SearchResult result = search.search(new float[] {0, 0}, matrix, 4, 100);
        assertThat(result.ordinals()).containsExactly(1, 3, 2, 0);
        assertThat(result.distances()).containsExactly(1, 2, 3, 5);
        assertThat(search.search(new float[] {0, 0}, matrix, 4, Integer.MAX_VALUE)).isEqualTo(result);
    }

    @Test
    void shouldBreakTiesByOrdinalAndPutNaNLastWhenDistancesRepeat() {
        ExactSearch search = new ExactSearch(VectorDistances.forMetric(Metric.COSINE));
        // Rows 0 and 3 are zero vectors (cosine NaN); rows 1, 2 and 4 are parallel to the query.
        float[] matrix = {0, 0, 1, 1, 2, 2, 0, 0, 3, 3, -1, -1};
        SearchResult all = search.search(new float[] {1, 1}, matrix, 6, 6);
        assertThat(all.ordinals()).containsExactly(1, 2, 4, 5, 0, 3);
        assertThat(all.distance(0)).isZero();
        assertThat(all.distance(3)).isEqualTo(2.0);
        assertThat(all.distance(4)).isNaN();
        assertThat(search.search(new float[] {1, 1}, matrix, 6, 2).ordinals()).containsExactly(1, 2);
        assertThat(search.search(new float[] {1, 1}, matrix, 6, 5).ordinals()).containsExactly(1, 2, 4, 5, 0);
    }

    @Test
    void shouldScanOnlyTheFirstCountRowsWhenMatrixHasSpareCapacity() {
        ExactSearch search = new ExactSearch(VectorDistances.forMetric(Metric.L2));
        float[] matrix = {9, 8, 0, 0, 0, 0};
        assertThat(search.search(new float[] {0, 0}, matrix, 1, 3).ordinals()).containsExactly(0);
        assertThat(search.search(new float[] {0, 0}, matrix, 0, 3)).isEqualTo(SearchResult.EMPTY);
        assertThat(search.search(new float[] {0, 0}, matrix, 3, 3, row -> false).size()).isZero();
    }

    @Test
    void shouldRejectWhenArgumentsAreInvalid() {
        ExactSearch search = new ExactSearch(VectorDistances.forMetric(Metric.L2));
        float[] q = {1, 2};
        assertThatThrownBy(() -> search.search(q, new float[4], 2, 0)).hasMessageContaining("k must be at least 1");
        assertThatThrownBy(() -> search.search(q, new float[4], -1, 1)).hasMessageContaining("count");
        assertThatThrownBy(() -> search.search(q, new float[5], 3, 1)).hasMessageContaining("fewer than count 3");
        assertThatThrownBy(() -> search.search(new float[0], new float[4], 2, 1)).hasMessageContaining("dimension");
        assertThatThrownBy(() -> search.search(q, new float[4], 2, 1, null)).isInstanceOf(NullPointerException.class);
    }

    /** Sort-all reference: compute every passing row, sort by (distance, ordinal), cut at k. */
    private static SearchResult naive(DistanceFunction distance, float[] query, float[] matrix, int count, int k,
                                      IntPredicate filter) {
        int dims = query.length;
        List<double[]> hits = new ArrayList<>();
        for (int row = 0; row < count; row++) {
            if (filter.test(row)) {
                float[] vector = Arrays.copyOfRange(matrix, row * dims, (row + 1) * dims);
                hits.add(new double[] {distance.distance(query, vector), row});
            }
        }
        hits.sort(Comparator.<double[]>comparingDouble(h -> h[0]).thenComparingDouble(h -> h[1]));
        int n = Math.min(k, hits.size());
        int[] ordinals = new int[n];
        double[] distances = new double[n];
        for (int i = 0; i < n; i++) {
            distances[i] = hits.get(i)[0];
            ordinals[i] = (int) hits.get(i)[1];
        }
        return new SearchResult(ordinals, distances);
    }
}
