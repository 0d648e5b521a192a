package io.ruvector.index.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.Metric;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** pgvector's operator semantics on hand-checked inputs, for both kernels. */
class DistanceFunctionTest {

    private static final float[] A = {1, 2, 3};
    private static final float[] B = {4, 5, 6};

    static Stream<VectorDistance> kernels() {
        return Stream.of(ScalarVectorDistance.INSTANCE, new PanamaVectorDistance());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void shouldMatchHandComputedValuesWhenVectorsAreSmallIntegers(VectorDistance kernel) {
        // Every float sum here is an exact small integer, so the results are exact, not approximate.
        assertThat(DistanceFunction.of(Metric.L2, kernel).distance(A, B)).isEqualTo(Math.sqrt(27));
        assertThat(DistanceFunction.of(Metric.L2, kernel).distance(A, B)).isEqualTo(5.196152422706632);
        assertThat(DistanceFunction.of(Metric.IP, kernel).distance(A, B)).isEqualTo(-32.0);
        assertThat(DistanceFunction.of(Metric.L1, kernel).distance(A, B)).isEqualTo(9.0);
        assertThat(DistanceFunction.of(Metric.COSINE, kernel).distance(A, B))
                .isEqualTo(1.0 - 32.0 / Math.sqrt(14.0 * 77.0))
                .isCloseTo(1.0 - 32.0 / (Math.sqrt(14) * Math.sqrt(77)), Offset.offset(1e-15));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void shouldReturnNaNCosineWhenEitherVectorIsZero(VectorDistance kernel) {
        DistanceFunction cosine = DistanceFunction.of(Metric.COSINE, kernel);
        float[] zero = new float[3];
        assertThat(cosine.distance(zero, B)).isNaN();
        assertThat(cosine.distance(A, zero)).isNaN();
        assertThat(cosine.distance(zero, zero)).isNaN();
        // The other metrics are well defined on zero vectors.
        assertThat(DistanceFunction.of(Metric.L2, kernel).distance(zero, zero)).isZero();
        assertThat(DistanceFunction.of(Metric.IP, kernel).distance(zero, B)).isZero();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void shouldReturnExactlyZeroAndTwoWhenVectorsAreParallelOrOpposite(VectorDistance kernel) {
        DistanceFunction cosine = DistanceFunction.of(Metric.COSINE, kernel);
        float[] v = RandomVectors.uniform(new SplittableRandom(RandomVectors.seed("parallel")), 1031);
        float[] minus = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            minus[i] = -v[i];
        }
        // dot and |v|² are summed in the same order, and sqrt(x²) == x: exactly 1 and -1.
        assertThat(cosine.distance(v, v)).isZero();
        assertThat(cosine.distance(v, minus)).isEqualTo(2.0);
    }

    @Test
    void shouldClampSimilarityWhenRoundingPushesItPastOne() {
        assertThat(DistanceFunction.of(Metric.COSINE, fixedSimilarity(1.0000001)).distance(A, B)).isZero();
        assertThat(DistanceFunction.of(Metric.COSINE, fixedSimilarity(-1.0000001)).distance(A, B)).isEqualTo(2.0);
        assertThat(DistanceFunction.of(Metric.COSINE, fixedSimilarity(Double.NaN)).distance(A, B)).isNaN();
        assertThat(DistanceFunction.of(Metric.COSINE, fixedSimilarity(0.25)).distance(A, B)).isEqualTo(0.75);
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void shouldRejectWhenDimensionsDiffer(Metric metric) {
        DistanceFunction function = VectorDistances.forMetric(metric);
        assertThat(function.metric()).isEqualTo(metric);
        assertThatThrownBy(() -> function.distance(A, new float[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("different vector dimensions 3 and 2");
        assertThatThrownBy(() -> function.distance(A, new float[6], 4, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> function.distance(A, new float[6], 0, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void shouldReadTheRowAtTheOffsetWhenGivenAMatrix(Metric metric) {
        DistanceFunction function = VectorDistances.forMetric(metric);
        float[] matrix = {9, 9, 9, 4, 5, 6, 7, 7, 7};
        assertThat(function.distance(A, matrix, 3, 3)).isEqualTo(function.distance(A, B));
    }

    /** A kernel whose cosine similarity is a given value, to reach the clamp deterministically. */
    private static VectorDistance fixedSimilarity(double similarity) {
        return new VectorDistance() {
            @Override
            public float dotProduct(float[] q, float[] data, int offset, int dims) {
                throw new UnsupportedOperationException();
            }

            @Override
            public float squaredL2(float[] q, float[] data, int offset, int dims) {
                throw new UnsupportedOperationException();
            }

            @Override
            public float l1(float[] q, float[] data, int offset, int dims) {
                throw new UnsupportedOperationException();
            }

            @Override
            public double cosineSimilarity(float[] q, float[] data, int offset, int dims) {
                return similarity;
            }

            @Override
            public float codeSquaredL2(float[] centred, float[] step, byte[] codes, int offset, int dims) {
                throw new UnsupportedOperationException();
            }

            @Override
            public float codeDot(float[] weights, byte[] codes, int offset, int dims) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void decodeCodes(float[] min, float[] step, byte[] codes, int offset, float[] dst, int dstOffset,
                                    int dims) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String name() {
                return "fixed";
            }
        };
    }
}
