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
    void shouldKeepIdsAndSharesWhenAFollowingFitSeesANewSampleOfTheSameData() {
        // 20 true clusters under k = 16: a fresh k-means++ merges a different few every time; a fit
        // started from the previous positions keeps each centroid over the same clusters. 8,000
        // points per sample: with 2,000 the sampling noise alone moved a share by more than 0.03 in
        // 9 of 300 seeds (a centroid that splits a cluster with another); with 8,000, in 1 of 1,500
        long seed = RandomVectors.seed("centroid-follow");
        SplittableRandom random = new SplittableRandom(seed);
        float[][] centres = new float[20][32];
        for (float[] c : centres) {
            for (int d = 0; d < c.length; d++) {
                c[d] = (float) (random.nextDouble() * 2 - 1);
            }
        }
        CentroidSummary.Fit first = CentroidSummary.fit(Map.of(0, mixture(centres, 8_000, random)), 16, 20, seed, null);
        CentroidSummary.Fit next = CentroidSummary.fit(Map.of(0, mixture(centres, 8_000, random)), 16, 20, seed,
                first.positions());

        Map<String, Double> before = new java.util.TreeMap<>();
        first.stats().forEach(c -> before.put(c.getId(), c.getSizeShare()));
        assertThat(next.stats()).extracting(CentroidStats::getId).containsExactlyInAnyOrderElementsOf(before.keySet());
        for (CentroidStats c : next.stats()) {
            assertThat(c.getSizeShare()).as("share of %s, seed %d", c.getId(), seed)
                    .isCloseTo(before.get(c.getId()), within(0.03));
        }
    }

    @Test
    void shouldStartAfreshWhenThePreviousPositionsDoNotFit() {
        SplittableRandom random = new SplittableRandom(3);
        List<float[]> points = points(new float[]{0f, 0f, 0f}, 100, 1.0, random);
        float[][] wrongK = {{0f, 0f, 0f}};
        float[][] wrongDims = {{0f}, {1f}, {2f}, {3f}};

        assertThat(CentroidSummary.fit(Map.of(0, points), 4, 10, 3, wrongK).stats())
                .isEqualTo(CentroidSummary.of(Map.of(0, points), 4, 10, 3));
        assertThat(CentroidSummary.fit(Map.of(0, points), 4, 10, 3, wrongDims).stats())
                .isEqualTo(CentroidSummary.of(Map.of(0, points), 4, 10, 3));
    }

    private static List<float[]> mixture(float[][] centres, int n, SplittableRandom random) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] c = centres[random.nextInt(centres.length)];
            float[] v = new float[c.length];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) (c[d] + random.nextGaussian() * 0.15);
            }
            out.add(v);
        }
        return out;
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
