package io.ruvector.index.store;

import java.util.SplittableRandom;

/**
 * Seeded clustered vectors for recall tests: {@code clusters} centres uniform in [-1, 1)^dims, rows
 * and queries drawn around a random centre with gaussian noise of {@code sigma} per component
 * (not normalised, so IP and cosine differ). Queries come from the same distribution but are not
 * rows.
 */
final class ClusteredData {

    private final float[][] centres;
    private final double sigma;
    private final SplittableRandom random;

    ClusteredData(long seed, int clusters, int dims, double sigma) {
        this.random = new SplittableRandom(seed);
        this.sigma = sigma;
        this.centres = new float[clusters][dims];
        for (float[] centre : centres) {
            for (int i = 0; i < dims; i++) {
                centre[i] = (float) (random.nextDouble() * 2 - 1);
            }
        }
    }

    /** The next vector: a random centre plus noise. */
    float[] next() {
        float[] centre = centres[random.nextInt(centres.length)];
        float[] v = new float[centre.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (centre[i] + gaussian() * sigma);
        }
        return v;
    }

    /** A uniform int in [0, bound): for metadata. */
    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private double gaussian() { // Box-Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
