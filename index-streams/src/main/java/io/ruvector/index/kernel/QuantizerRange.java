package io.ruvector.index.kernel;

/**
 * What a per-component quantiser's fit found, to persist it and build the same quantiser again:
 * each component's minimum and step (the value one code level stands for).
 *
 * @param minimums each component's fitted minimum
 * @param steps    each component's step, never negative
 */
public record QuantizerRange(float[] minimums, float[] steps) {

    /**
     * @throws IllegalArgumentException when the lengths differ or are zero, a value is not finite,
     *                                  or a step is negative (a damaged snapshot)
     */
    public QuantizerRange {
        if (minimums.length == 0 || minimums.length != steps.length) {
            throw new IllegalArgumentException("a quantiser needs as many minimums as steps, at least one: "
                    + minimums.length + " and " + steps.length);
        }
        for (int i = 0; i < steps.length; i++) {
            if (!Float.isFinite(minimums[i]) || !Float.isFinite(steps[i]) || steps[i] < 0) {
                throw new IllegalArgumentException("component " + i + " has minimum " + minimums[i] + " and step " + steps[i]);
            }
        }
        minimums = minimums.clone();
        steps = steps.clone();
    }

    @Override
    public float[] minimums() {
        return minimums.clone();
    }

    @Override
    public float[] steps() {
        return steps.clone();
    }
}
