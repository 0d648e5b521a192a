package io.ruvector.index.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.schemas.Metric;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link DistanceBound} never exceeds the full-precision distance it bounds, for every metric,
 * across dimensions, scales and near-degenerate vectors; and {@link ScalarQuantizer#errorCode}
 * bounds a row's true distance to its codes.
 */
class DistanceBoundTest {

    @ParameterizedTest
    @EnumSource(Metric.class)
    void shouldNeverBoundAboveTheDistanceToTheFullVector(Metric metric) {
        long seed = RandomVectors.seed("distance-bound-" + metric);
        SplittableRandom random = new SplittableRandom(seed);
        DistanceFunction distance = VectorDistances.forMetric(metric);
        int tight = 0;
        int trials = 20_000;
        for (int t = 0; t < trials; t++) {
            int dims = switch (t % 4) {
                case 0 -> 1 + random.nextInt(8);
                case 1 -> 1 + random.nextInt(300);
                case 2 -> 784;
                default -> 1 + random.nextInt(2_000);
            };
            double scale = Math.pow(10, random.nextInt(-3, 4));
            float[] query = scaled(RandomVectors.uniform(random, dims), scale);
            float[] x = t % 5 == 0 ? near(query, random, scale * 1e-3) : scaled(RandomVectors.uniform(random, dims), scale);
            // x̂: x moved by noise of a random size, sometimes larger than x itself (cosine near zero)
            double noise = scale * Math.pow(10, random.nextInt(-6, 1));
            float[] approx = new float[dims];
            for (int i = 0; i < dims; i++) {
                approx[i] = (float) (x[i] + (random.nextDouble() * 2 - 1) * noise);
            }
            double error = 0;
            for (int i = 0; i < dims; i++) {
                double d = (double) x[i] - approx[i];
                error += d * d;
            }
            error = Math.nextUp(Math.sqrt(error));
            DistanceBound bound = DistanceBound.of(metric, query);
            double lower = bound.lower(distance.distance(query, approx, 0, dims), error,
                    DistanceBound.norm(approx, 0, dims));
            double exact = distance.distance(query, x, 0, dims);
            if (!Double.isNaN(exact)) {
                assertThat(lower).as("trial %d, %d dims, scale %s, noise %s, seed %d", t, dims, scale, noise, seed)
                        .isLessThanOrEqualTo(exact);
            }
            if (lower > exact - 0.5 * Math.abs(exact) - 1e-9) {
                tight++;
            }
        }
        // a bound of −∞ everywhere would pass the check above: most bounds must be useful
        assertThat(tight).as("bounds within half the distance, of %d (seed %d)", trials, seed).isGreaterThan(trials / 2);
    }

    @Test
    void shouldTakeEveryRowWhoseBoundIsNotFinite() {
        DistanceBound cosine = DistanceBound.of(Metric.COSINE, new float[] {1, 0});
        assertThat(cosine.lower(0.5, 0.1, 0.0)).as("x̂ is the zero vector").isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(cosine.lower(Double.NaN, 0.1, 1.0)).isEqualTo(Double.NEGATIVE_INFINITY);
        DistanceBound l2 = DistanceBound.of(Metric.L2, new float[] {1, 0});
        assertThat(l2.lower(3.0, Double.POSITIVE_INFINITY, 0)).as("an unbounded error").isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(l2.lower(3.0, 1.0, 0)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-5)).isLessThan(2.0);
    }

    @Test
    void shouldBoundEachRowsDistanceToItsCodesInOneByte() {
        long seed = RandomVectors.seed("error-code");
        SplittableRandom random = new SplittableRandom(seed);
        int dims = 96;
        int rows = 2_000;
        float[] matrix = RandomVectors.matrix(random, rows, dims);
        int[] offsets = new int[rows];
        for (int i = 0; i < rows; i++) {
            offsets[i] = i * dims;
        }
        ScalarQuantizer quantizer = ScalarQuantizer.fit(matrix, offsets, rows, dims);
        byte[] codes = new byte[dims];
        float[] decoded = new float[dims];
        float[] scratch = new float[dims];
        double worstSlack = 0;
        for (int r = 0; r < rows; r++) {
            quantizer.encode(matrix, r * dims, codes, 0);
            int code = quantizer.errorCode(matrix, r * dims, codes, 0, scratch);
            assertThat(code).as("a row inside the fitted range has a finite bound (seed %d)", seed)
                    .isLessThan(ScalarQuantizer.ERROR_CODE_UNBOUNDED);
            quantizer.decode(codes, 0, decoded, 0);
            double error = 0;
            for (int i = 0; i < dims; i++) {
                double d = (double) matrix[r * dims + i] - decoded[i];
                error += d * d;
            }
            error = Math.sqrt(error);
            double bound = quantizer.errorBound(code);
            assertThat(bound).as("row %d, seed %d", r, seed).isGreaterThanOrEqualTo(error);
            worstSlack = Math.max(worstSlack, bound - error);
        }
        // one unit is a 254th of 1.25 × the largest in-range error: the byte costs little precision
        assertThat(worstSlack).isLessThanOrEqualTo(quantizer.errorBound(1) * 1.0001);

        float[] outside = new float[dims];
        java.util.Arrays.fill(outside, 5f); // every component clamped
        quantizer.encode(outside, 0, codes, 0);
        int code = quantizer.errorCode(outside, 0, codes, 0, scratch);
        assertThat(code).isEqualTo(ScalarQuantizer.ERROR_CODE_UNBOUNDED);
        assertThat(quantizer.errorBound(code)).isInfinite();
    }

    private static float[] scaled(float[] v, double scale) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] * scale);
        }
        return v;
    }

    private static float[] near(float[] v, SplittableRandom random, double jitter) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] + (random.nextDouble() * 2 - 1) * jitter);
        }
        return out;
    }
}
