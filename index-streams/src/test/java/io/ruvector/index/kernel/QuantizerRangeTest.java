package io.ruvector.index.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A persisted fit builds a quantiser that encodes as the fitted one; a damaged one is refused. */
class QuantizerRangeTest {

    @Test
    void shouldBuildQuantisersThatEncodeAsTheFittedOnes() {
        SplittableRandom random = new SplittableRandom(RandomVectors.seed("quantizer range"));
        int rows = 50;
        int dims = 77;
        float[] matrix = RandomVectors.matrix(random, rows, dims);
        int[] offsets = new int[rows];
        for (int r = 0; r < rows; r++) {
            offsets[r] = r * dims;
        }
        ScalarQuantizer int8 = ScalarQuantizer.fit(matrix, offsets, rows, dims);
        NibbleQuantizer nibbles = NibbleQuantizer.fit(matrix, offsets, rows, dims);
        ScalarQuantizer int8Again = ScalarQuantizer.of(int8.range());
        NibbleQuantizer nibblesAgain = NibbleQuantizer.of(nibbles.range());
        float[] row = RandomVectors.uniform(random, dims); // partly outside the fitted range: clamps too
        byte[] expected = new byte[dims];
        byte[] actual = new byte[dims];
        assertThat(int8Again.encode(row, 0, actual, 0)).isEqualTo(int8.encode(row, 0, expected, 0));
        assertThat(actual).isEqualTo(expected);
        byte[] expectedNibbles = new byte[NibbleQuantizer.rowBytes(dims)];
        byte[] actualNibbles = new byte[NibbleQuantizer.rowBytes(dims)];
        assertThat(nibblesAgain.encode(row, 0, actualNibbles, 0)).isEqualTo(nibbles.encode(row, 0, expectedNibbles, 0));
        assertThat(actualNibbles).isEqualTo(expectedNibbles);
    }

    @Test
    void shouldRefuseARangeNoFitCanHaveMade() {
        assertThatThrownBy(() -> new QuantizerRange(new float[2], new float[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 and 3");
        assertThatThrownBy(() -> new QuantizerRange(new float[0], new float[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QuantizerRange(new float[] {0f, Float.NaN}, new float[] {1f, 1f}))
                .hasMessageContaining("component 1");
        assertThatThrownBy(() -> new QuantizerRange(new float[] {0f}, new float[] {-1f}))
                .hasMessageContaining("step -1.0");
    }
}
