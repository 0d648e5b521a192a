package io.ruvector.index.kernel;

import java.util.SplittableRandom;

/** Seeded random vectors for tests; every test prints its seed so a failure can be replayed. */
public final class RandomVectors {

    /** {@code -Druvector.test.seed=N} replays a run; otherwise a fresh seed per call. */
    public static final String SEED_PROPERTY = "ruvector.test.seed";

    private RandomVectors() {
    }

    /** A seed (from the property or fresh), printed with the test name. */
    public static long seed(String testName) {
        String fixed = System.getProperty(SEED_PROPERTY);
        long seed = fixed != null ? Long.parseLong(fixed) : System.nanoTime() ^ 0x5DEECE66DL;
        System.out.printf("%s seed=%d (replay with -D%s=%d)%n", testName, seed, SEED_PROPERTY, seed);
        return seed;
    }

    /** Components uniform in [-1, 1). */
    public static float[] uniform(SplittableRandom random, int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** {@code rows} rows of uniform components, row-major. */
    public static float[] matrix(SplittableRandom random, int rows, int dims) {
        return uniform(random, rows * dims);
    }

    /** |actual − expected| / max(|expected|, floor): relative error, with a scale floor near zero. */
    public static double relativeError(double actual, double expected, double floor) {
        if (actual == expected || (Double.isNaN(actual) && Double.isNaN(expected))) {
            return 0;
        }
        return Math.abs(actual - expected) / Math.max(Math.abs(expected), Math.max(floor, Double.MIN_NORMAL));
    }

    /**
     * The scale floor for the inner product: 1% of |a|·|b| (Cauchy–Schwarz bound). A float sum's
     * error is proportional to Σ|aᵢbᵢ| ≤ |a|·|b|, not to |a·b|, which cancels towards 0 for
     * near-orthogonal vectors; there pure relative error is unbounded for pgvector itself.
     */
    public static double ipFloor(float[] a, float[] b) {
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return 0.01 * Math.sqrt(na * nb);
    }
}
