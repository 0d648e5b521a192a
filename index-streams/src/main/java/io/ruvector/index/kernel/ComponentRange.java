package io.ruvector.index.kernel;

import java.util.Arrays;
import java.util.Objects;

/**
 * Each component's smallest and largest value over a set of rows: the range a per-dimension
 * scalar quantiser spreads its levels over ({@link ScalarQuantizer}, {@link NibbleQuantizer}).
 * A component with a non-finite extreme (∞, or only NaNs) gets the empty range [0, 0]; NaNs
 * among finite values are ignored.
 */
record ComponentRange(float[] min, float[] max) {

    /**
     * The ranges of {@code rows} rows of {@code dims} components read from {@code matrix} at the
     * offsets {@code offsets[0..rows)}.
     *
     * @throws IllegalArgumentException when there is no row to fit on
     */
    static ComponentRange of(float[] matrix, int[] offsets, int rows, int dims) {
        Objects.requireNonNull(matrix, "matrix");
        if (rows < 1 || dims < 1) {
            throw new IllegalArgumentException("a quantiser needs at least one row to fit on, got " + rows);
        }
        float[] min = new float[dims];
        float[] max = new float[dims];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int r = 0; r < rows; r++) {
            int offset = offsets[r];
            for (int i = 0; i < dims; i++) {
                float v = matrix[offset + i];
                if (v < min[i]) {
                    min[i] = v;
                }
                if (v > max[i]) {
                    max[i] = v;
                }
            }
        }
        for (int i = 0; i < dims; i++) {
            if (!Float.isFinite(min[i]) || !Float.isFinite(max[i])) { // NaN/∞ components: keep them out of the range
                min[i] = 0f;
                max[i] = 0f;
            }
        }
        return new ComponentRange(min, max);
    }

    /** The width of one of {@code levels} steps across each component's range. */
    float[] steps(int levels) {
        float[] step = new float[min.length];
        for (int i = 0; i < step.length; i++) {
            step[i] = (max[i] - min[i]) / levels;
        }
        return step;
    }
}
