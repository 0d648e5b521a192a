package io.ruvector.index.telemetry;

import io.ruvector.index.kernel.VectorDistance;
import io.ruvector.index.kernel.VectorDistances;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Lloyd's k-means under squared L2 with k-means++ seeding, deterministic for a given seed. Meant for
 * a few thousand sampled vectors on the telemetry thread: O(n·k·dims) per iteration, distances
 * on the index's own kernels ({@link VectorDistances}).
 *
 * <p>Points live in one row-major matrix and are scored with the kernels' offset variants, the
 * same path (and so the same compiled code) as exact search.
 *
 * <p>An iteration moves every centroid to the mean of its members, then reassigns; it stops early
 * once no assignment changes. A centroid left without members takes the point farthest from its
 * own centroid (in a cluster of two or more), so every centroid describes at least one point
 * whenever there are k distinct points. The returned assignment always matches the returned
 * centroids.
 */
final class KMeans {

    /**
     * A fitted clustering.
     *
     * @param centroids       k centroids, each of the points' dimension
     * @param assignment      for each point, the index of its nearest centroid
     * @param squaredDistance for each point, its squared L2 distance to that centroid
     * @param iterations      Lloyd iterations run (at most the limit)
     */
    record Clustering(float[][] centroids, int[] assignment, float[] squaredDistance, int iterations) {

        /** Sum of the points' squared distances to their centroids: lower is a better clustering. */
        double inertia() {
            double sum = 0;
            for (float d : squaredDistance) {
                sum += d;
            }
            return sum;
        }
    }

    /**
     * The best (lowest inertia) of {@code restarts} runs of {@link #fit} with seeds derived from
     * {@code seed}: one k-means++ start can still merge two clusters and split another, a few
     * starts make that unlikely.
     */
    static Clustering bestOf(int restarts, float[][] points, int k, int iterations, long seed) {
        if (restarts < 1) {
            throw new IllegalArgumentException("k-means restarts must be >= 1, was " + restarts);
        }
        SplittableRandom seeds = new SplittableRandom(seed);
        Clustering best = null;
        for (int r = 0; r < restarts; r++) {
            Clustering candidate = fit(points, k, iterations, seeds.nextLong());
            if (best == null || candidate.inertia() < best.inertia()) {
                best = candidate;
            }
        }
        return best;
    }

    private final VectorDistance kernels = VectorDistances.get();
    private final float[] points;
    private final int n;
    private final int k;
    private final int dims;
    private final int[] assignment;
    private final float[] squaredDistance;
    private float[][] centroids;

    private KMeans(float[][] rows, int k) {
        this.n = rows.length;
        this.k = k;
        this.dims = rows[0].length;
        this.points = new float[n * dims];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != dims) {
                throw new IllegalArgumentException("k-means points must share one dimension: " + rows[i].length
                        + " != " + dims);
            }
            System.arraycopy(rows[i], 0, points, i * dims, dims);
        }
        this.assignment = new int[n];
        this.squaredDistance = new float[n];
    }

    /**
     * Clusters {@code points} (all of one dimension) into {@code k} groups.
     *
     * @param iterations Lloyd iterations at most, {@code >= 1}
     * @param seed       seeds k-means++; the same inputs and seed give the same clustering
     */
    static Clustering fit(float[][] points, int k, int iterations, long seed) {
        Objects.requireNonNull(points, "points");
        if (k < 1 || k > points.length) {
            throw new IllegalArgumentException("k-means needs 1 <= k <= points (" + points.length + "), was " + k);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("k-means iterations must be >= 1, was " + iterations);
        }
        KMeans run = new KMeans(points, k);
        run.seed(new SplittableRandom(seed));
        return run.iterate(iterations);
    }

    /**
     * Lloyd's k-means started from {@code initial} (k centres of the points' dimension) instead of
     * a fresh seeding: the way to follow a clustering over time. Centre {@code c} of the result is
     * the descendant of {@code initial[c]}, so a centroid keeps its identity while the data under
     * it stays the same, and only a real shift of the data moves shares between centroids.
     */
    static Clustering fitFrom(float[][] points, float[][] initial, int iterations) {
        Objects.requireNonNull(points, "points");
        Objects.requireNonNull(initial, "initial");
        if (initial.length < 1 || initial.length > points.length) {
            throw new IllegalArgumentException("k-means needs 1 <= k <= points (" + points.length + "), was "
                    + initial.length);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("k-means iterations must be >= 1, was " + iterations);
        }
        KMeans run = new KMeans(points, initial.length);
        run.centroids = new float[initial.length][];
        for (int c = 0; c < initial.length; c++) {
            if (initial[c].length != run.dims) {
                throw new IllegalArgumentException("initial centre " + c + " has dimension " + initial[c].length
                        + ", the points " + run.dims);
            }
            run.centroids[c] = initial[c].clone();
        }
        return run.iterate(iterations);
    }

    /** Lloyd's iterations from the current centroids until no assignment changes, at most {@code iterations}. */
    private Clustering iterate(int iterations) {
        assign();
        int done = 0;
        while (done < iterations) {
            done++;
            moveCentroids();
            if (!assign()) {
                break;
            }
        }
        return new Clustering(centroids, assignment, squaredDistance, done);
    }

    /** k-means++: each next seed is a point drawn with probability proportional to its squared distance to the nearest seed so far. */
    private void seed(SplittableRandom random) {
        centroids = new float[k][];
        centroids[0] = row(random.nextInt(n));
        double[] nearest = new double[n];
        for (int i = 0; i < n; i++) {
            nearest[i] = distance(centroids[0], i);
        }
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double d : nearest) {
                total += d;
            }
            centroids[c] = row(total > 0 ? draw(nearest, random.nextDouble() * total) : random.nextInt(n));
            for (int i = 0; i < n; i++) {
                nearest[i] = Math.min(nearest[i], distance(centroids[c], i));
            }
        }
    }

    private float distance(float[] centroid, int point) {
        return kernels.squaredL2(centroid, points, point * dims, dims);
    }

    private float[] row(int point) {
        return Arrays.copyOfRange(points, point * dims, (point + 1) * dims);
    }

    private static int draw(double[] weights, double target) {
        double cumulative = 0;
        for (int i = 0; i < weights.length; i++) {
            cumulative += weights[i];
            if (cumulative > target && weights[i] > 0) {
                return i;
            }
        }
        for (int i = weights.length - 1; i >= 0; i--) { // rounding left target at the very end
            if (weights[i] > 0) {
                return i;
            }
        }
        return 0;
    }

    /** Assigns every point to its nearest centroid (lowest index on a tie); true when any assignment changed. */
    private boolean assign() {
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            int best = 0;
            float bestDistance = distance(centroids[0], i);
            for (int c = 1; c < k; c++) {
                float d = distance(centroids[c], i);
                if (d < bestDistance) {
                    best = c;
                    bestDistance = d;
                }
            }
            changed |= assignment[i] != best;
            assignment[i] = best;
            squaredDistance[i] = bestDistance;
        }
        return changed;
    }

    /** Moves each centroid to its members' mean (sums in double); an empty one takes the worst-served point. */
    private void moveCentroids() {
        double[][] sums = new double[k][dims];
        int[] sizes = new int[k];
        for (int i = 0; i < n; i++) {
            add(sums[assignment[i]], i, 1);
            sizes[assignment[i]]++;
        }
        for (int c = 0; c < k; c++) {
            int far = sizes[c] == 0 ? farthestMovablePoint(sizes) : -1;
            if (far >= 0) { // else fewer distinct points than centroids: it stays where it is
                add(sums[assignment[far]], far, -1);
                sizes[assignment[far]]--;
                add(sums[c], far, 1);
                sizes[c] = 1;
                assignment[far] = c;
                squaredDistance[far] = 0;
            }
        }
        for (int c = 0; c < k; c++) {
            if (sizes[c] > 0) {
                float[] centroid = new float[dims];
                for (int j = 0; j < dims; j++) {
                    centroid[j] = (float) (sums[c][j] / sizes[c]);
                }
                centroids[c] = centroid;
            }
        }
    }

    private void add(double[] sum, int point, int sign) {
        int offset = point * dims;
        for (int j = 0; j < dims; j++) {
            sum[j] += sign * points[offset + j];
        }
    }

    private int farthestMovablePoint(int[] sizes) {
        int far = -1;
        for (int i = 0; i < n; i++) {
            if (sizes[assignment[i]] > 1 && squaredDistance[i] > 0
                    && (far < 0 || squaredDistance[i] > squaredDistance[far])) {
                far = i;
            }
        }
        return far;
    }
}
