package io.ruvector.index.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ruvector.index.kernel.RandomVectors;
import io.ruvector.schemas.CentroidStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link CentroidSummary}: proportional sample quotas and centroid shares, spreads and partitions. */
class CentroidSummaryTest {

    @Test
    void shouldSplitTheReservoirInProportionToLiveRowsWhenThereAreMoreRows() {
        Map<Integer, Integer> quotas = CentroidSummary.quotas(Map.of(0, 5_000, 1, 3_000, 2, 2_000, 3, 0), 2_000);
        assertThat(quotas).containsExactlyInAnyOrderEntriesOf(Map.of(0, 1_000, 1, 600, 2, 400, 3, 0));

        Map<Integer, Integer> remainders = CentroidSummary.quotas(Map.of(0, 1, 1, 1, 2, 1, 3, 1), 3);
        assertThat(remainders.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
        assertThat(remainders).as("equal remainders go to the lower partitions")
                .containsExactlyInAnyOrderEntriesOf(Map.of(0, 1, 1, 1, 2, 1, 3, 0));
    }

    @Test
    void shouldTakeEveryRowWhenThereAreNoMoreThanTheReservoir() {
        assertThat(CentroidSummary.quotas(Map.of(0, 700, 4, 300), 2_000))
                .containsExactlyInAnyOrderEntriesOf(Map.of(0, 700, 4, 300));
    }

    @Test
    void shouldReportSharesMeanDistancesAndPartitionsOfFourClustersSpreadOverPartitions() {
        long seed = RandomVectors.seed("centroid-summary");
        SplittableRandom random = new SplittableRandom(seed);
        float[][] centres = {{10f, 0f, 0f}, {0f, 10f, 0f}, {0f, 0f, 10f}, {-10f, 0f, 0f}};
        double sigma = 0.5;
        // Cluster c lives in partition c, except cluster 3, split over partitions 3 and 5.
        Map<Integer, List<float[]>> samples = Map.of(
                0, points(centres[0], 300, sigma, random), 1, points(centres[1], 300, sigma, random),
                2, points(centres[2], 200, sigma, random), 3, points(centres[3], 100, sigma, random),
                5, points(centres[3], 100, sigma, random));

        List<CentroidStats> centroids = CentroidSummary.of(samples, 4, 10, seed);

        assertThat(centroids).hasSize(4);
        assertThat(centroids.stream().mapToDouble(CentroidStats::getSizeShare).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(centroids).extracting(CentroidStats::getId).doesNotHaveDuplicates();
        // Mean L2 distance of 3-d gaussian noise to its mean: σ·√2·Γ(2)/Γ(3/2) ≈ 1.596 σ.
        for (CentroidStats c : centroids) {
            assertThat(c.getMeanDistance()).as("seed %d", seed).isCloseTo(1.596 * sigma, within(0.1));
        }
        assertThat(centroids).extracting(CentroidStats::getSizeShare, CentroidStats::getPartitions)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(0.3, List.of(0)),
                        org.assertj.core.groups.Tuple.tuple(0.3, List.of(1)),
                        org.assertj.core.groups.Tuple.tuple(0.2, List.of(2)),
                        org.assertj.core.groups.Tuple.tuple(0.2, List.of(3, 5)));
    }

    @Test
    void shouldReportNoCentroidsWhenKIsZeroOrThereAreNoVectors() {
        assertThat(CentroidSummary.of(Map.of(0, List.of(new float[] {1f})), 0, 10, 1)).isEmpty();
        assertThat(CentroidSummary.of(Map.of(0, List.of()), 4, 10, 1)).isEmpty();
    }

    @Test
    void shouldLeaveOutVectorsOfAnotherDimension() {
        List<float[]> twoDims = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twoDims.add(new float[] {i, 0f});
        }
        List<CentroidStats> centroids = CentroidSummary.of(Map.of(0, twoDims, 1, List.of(new float[] {1f, 2f, 3f})),
                2, 10, 7);
        assertThat(centroids).allSatisfy(c -> assertThat(c.getPartitions()).containsExactly(0));
        assertThat(centroids.stream().mapToDouble(CentroidStats::getSizeShare).sum()).isCloseTo(1.0, within(1e-9));
    }

    private static List<float[]> points(float[] centre, int n, double sigma, SplittableRandom random) {
        List<float[]> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            points.add(KMeansTest.around(centre, sigma, random));
        }
        return points;
    }
}
