package io.ruvector.index.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 4-bit codes: the block layout, the round trip, each measure against the decoded vector, and
 * four rows per pass bit for bit as one — for the scalar and the Panama kernels, at dimensions
 * that leave every block tail.
 */
class NibbleQuantizerTest {

    private static final VectorDistance SCALAR = ScalarVectorDistance.INSTANCE;
    private static final VectorDistance PANAMA = new PanamaVectorDistance();

    @ParameterizedTest(name = "dims={0}")
    @ValueSource(ints = {1, 15, 16, 17, 31, 32, 33, 100, 784})
    void shouldDecodeEveryComponentWithinHalfAStepAndPadTheRowWithZeros(int dims) {
        SplittableRandom random = new SplittableRandom(RandomVectors.seed("nibbles round trip dims=" + dims));
        int rows = 12;
        float[] matrix = RandomVectors.matrix(random, rows, dims);
        NibbleQuantizer quantizer = fit(matrix, rows, dims);
        int width = NibbleQuantizer.rowBytes(dims);
        assertThat(width).isEqualTo((dims + 31) / 32 * 16);
        byte[] codes = new byte[rows * width];
        java.util.Arrays.fill(codes, (byte) -1); // encode must overwrite every byte of its row, padding included
        float[] decoded = new float[dims];
        for (int r = 0; r < rows; r++) {
            assertThat(quantizer.encode(matrix, r * dims, codes, r * width)).isZero(); // fitted on these rows
            quantizer.decode(codes, r * width, decoded, 0);
            for (int i = 0; i < dims; i++) {
                float[] range = range(matrix, rows, dims, i);
                float halfStep = (range[1] - range[0]) / 15 / 2;
                assertThat(decoded[i]).as("row %d component %d", r, i).isCloseTo(matrix[r * dims + i], within(halfStep * 1.0001f + 1e-6f));
                // the layout: component 32b+j in byte 16b+j, low nibble for j < 16, high for the rest
                int b = i / 32;
                int j = i % 32;
                int v = codes[r * width + 16 * b + j % 16];
                assertThat(j < 16 ? v & 0xF : (v >> 4) & 0xF).isEqualTo(NibbleQuantizer.code(codes, r * width, i));
            }
            for (int i = dims; i < width * 2; i++) {
                assertThat(NibbleQuantizer.code(codes, r * width, i)).as("padding component %d", i).isZero();
            }
        }
    }

    @ParameterizedTest(name = "dims={0}")
    @ValueSource(ints = {1, 7, 16, 31, 33, 127, 784, 1031})
    void shouldMeasureEachRowAsItsDecodedVector(int dims) {
        SplittableRandom random = new SplittableRandom(RandomVectors.seed("nibbles measures dims=" + dims));
        int rows = 10;
        float[] matrix = RandomVectors.matrix(random, rows, dims);
        NibbleQuantizer quantizer = fit(matrix, rows, dims);
        int width = NibbleQuantizer.rowBytes(dims);
        byte[] codes = new byte[rows * width + 3];
        float[] q = RandomVectors.uniform(random, dims);
        float[] decoded = new float[dims];
        float[] min = new float[dims];
        quantizer.decode(new byte[width], 0, min, 0); // all-zero codes decode to the range's minimum
        for (int r = 0; r < rows; r++) {
            int at = 3 + r * width; // a row not at the array's start
            quantizer.encode(matrix, r * dims, codes, at);
            quantizer.decode(codes, at, decoded, 0);
            // float rounding is relative to the terms summed, x = min + step·c split in two, not to the result
            double terms = 1;
            for (int i = 0; i < dims; i++) {
                double part = decoded[i] - min[i];
                terms += (q[i] - min[i]) * (q[i] - min[i]) + part * part + Math.abs(q[i] * min[i]) + Math.abs(q[i] * part);
            }
            double scale = terms + SCALAR.dotProduct(q, q) + SCALAR.dotProduct(decoded, decoded);
            // cosine divides by both norms: a row near the origin magnifies the rounding of its dot product
            double cosineTolerance = 1e-4 + 1e-5 * terms / Math.sqrt(SCALAR.dotProduct(q, q) * SCALAR.dotProduct(decoded, decoded));
            for (NibbleQuantizer.Measure measure : NibbleQuantizer.Measure.values()) {
                float term = quantizer.rowTerm(measure, codes, at);
                double expected = switch (measure) {
                    case SQUARED_L2 -> SCALAR.squaredL2(q, decoded);
                    case DOT -> SCALAR.dotProduct(q, decoded);
                    case COSINE -> SCALAR.cosineSimilarity(q, decoded);
                };
                double tolerance = measure == NibbleQuantizer.Measure.COSINE ? cosineTolerance : 1e-5 * scale;
                assertThat(quantizer.query(q, measure).value(codes, at, term)).as("%s row %d", measure, r)
                        .isCloseTo(expected, within(tolerance));
            }
        }
    }

    /** The graph walk scores neighbours four rows per pass: each value must be what one row alone gets, bit for bit. */
    @ParameterizedTest(name = "dims={0}")
    @ValueSource(ints = {1, 31, 64, 127, 784})
    void shouldScoreFourRowsAsFourSingleRowsDo(int dims) {
        SplittableRandom random = new SplittableRandom(RandomVectors.seed("nibbles x4 dims=" + dims));
        int rows = 9;
        float[] matrix = RandomVectors.matrix(random, rows, dims);
        NibbleQuantizer quantizer = fit(matrix, rows, dims);
        int width = NibbleQuantizer.rowBytes(dims);
        byte[] codes = new byte[rows * width + 5];
        for (int r = 0; r < rows; r++) {
            quantizer.encode(matrix, r * dims, codes, 5 + r * width);
        }
        int blocks = width / 16;
        float[] weights = RandomVectors.uniform(random, blocks * 32);
        int[] at = {5 + 7 * width, 5, 5 + 3 * width, 5 + 7 * width}; // any rows, in any order, repeats allowed
        float[] four = new float[4];
        for (VectorDistance kernel : new VectorDistance[] {SCALAR, PANAMA}) {
            kernel.nibbleDotx4(weights, codes, at[0], at[1], at[2], at[3], blocks, four);
            for (int i = 0; i < 4; i++) {
                assertThat(four[i]).as(kernel.name() + " nibbleDotx4[" + i + "]")
                        .isEqualTo(kernel.nibbleDot(weights, codes, at[i], blocks));
            }
            // kernels sum in different orders: close, not equal
            assertThat((double) kernel.nibbleDot(weights, codes, at[1], blocks)).as(kernel.name() + " against in-order")
                    .isCloseTo(ScalarVectorDistance.nibbleDotInOrder(weights, codes, at[1], blocks), within(1e-4 * dims));
        }
        float[] q = RandomVectors.uniform(random, dims);
        double[] values = new double[4];
        for (NibbleQuantizer.Measure measure : NibbleQuantizer.Measure.values()) {
            NibbleQuantizer.Query query = quantizer.query(q, measure);
            float[] terms = new float[4];
            for (int i = 0; i < 4; i++) {
                terms[i] = quantizer.rowTerm(measure, codes, at[i]);
            }
            query.value4(codes, at[0], at[1], at[2], at[3], terms[0], terms[1], terms[2], terms[3], values);
            for (int i = 0; i < 4; i++) {
                assertThat(values[i]).as(measure + " value4[" + i + "]").isEqualTo(query.value(codes, at[i], terms[i]));
            }
        }
    }

    private static NibbleQuantizer fit(float[] matrix, int rows, int dims) {
        int[] offsets = new int[rows];
        for (int r = 0; r < rows; r++) {
            offsets[r] = r * dims;
        }
        return NibbleQuantizer.fit(matrix, offsets, rows, dims);
    }

    private static float[] range(float[] matrix, int rows, int dims, int component) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < rows; r++) {
            min = Math.min(min, matrix[r * dims + component]);
            max = Math.max(max, matrix[r * dims + component]);
        }
        return new float[] {min, max};
    }
}
