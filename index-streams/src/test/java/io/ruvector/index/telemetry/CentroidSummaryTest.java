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

    @Test
    void shouldStartAfreshWhenFollowingThePreviousPositionsStaysStuckWithOneCentroidOverTwoClusters() {
        // IntegritySkewIT's data: 16 clusters at the corners of {0, 10}^4, uniform noise below 1.
        // The previous positions put two centroids on corner 14 and one halfway between corners 13
        // and 15, as positions fitted to other data and re-installed by a rollback can.
        SplittableRandom random = new SplittableRandom(11);
        float[][] corners = new float[16][4];
        for (int c = 0; c < 16; c++) {
            for (int d = 0; d < 4; d++) {
                corners[c][d] = ((c >> d) & 1) * 10f + 0.5f;
            }
        }
        List<float[]> points = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            float[] corner = corners[i % 16];
            float[] v = new float[4];
            for (int d = 0; d < 4; d++) {
                v[d] = corner[d] - 0.5f + (float) random.nextDouble();
            }
            points.add(v);
        }
        float[][] previous = new float[16][];
        for (int c = 0; c < 16; c++) {
            previous[c] = corners[c].clone();
        }
        previous[15] = corners[14].clone();
        previous[15][0] += 0.2f;
        for (int d = 0; d < 4; d++) {
            previous[13][d] = (corners[13][d] + corners[15][d]) / 2;
        }

        KMeans.Clustering followed = KMeans.fitFrom(points.toArray(float[][]::new), previous, 20);
        int[] members = new int[16];
        for (int a : followed.assignment()) {
            members[a]++;
        }
        assertThat(java.util.Arrays.stream(members).max().orElseThrow()).as("Lloyd's iterations alone stay stuck")
                .isEqualTo(500);

        CentroidSummary.Fit fit = CentroidSummary.fit(Map.of(0, points), 16, 20, 11, previous);
        assertThat(fit.stats()).hasSize(16).allSatisfy(c -> {
            assertThat(c.getSizeShare()).as("share of %s", c.getId()).isCloseTo(1.0 / 16, within(0.01));
            assertThat(c.getMeanDistance()).as("mean distance of %s", c.getId()).isLessThan(1.0);
        });
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
