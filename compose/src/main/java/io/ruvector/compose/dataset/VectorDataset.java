package io.ruvector.compose.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A set of vectors to load into a pgvector table plus held-out query vectors: Fashion-MNIST from
 * Debian's {@code dataset-fashion-mnist} package when installed (MIT licence; 60k train and 10k
 * test images of 784 pixels, as ann-benchmarks' fashion-mnist-784-euclidean), or generated
 * gaussian clusters.
 *
 * @param name    what it is, for reports
 * @param vectors the rows, all of {@link #dimensions()} components
 * @param labels  a category per row (metadata for filters), same length as {@code vectors}
 * @param queries held-out query vectors
 */
public record VectorDataset(String name, float[][] vectors, String[] labels, float[][] queries) {

    /** Where Debian's package puts the files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static final String[] FASHION_LABELS = {"tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt",
            "sneaker", "bag", "boot"};

    public VectorDataset {
        Objects.requireNonNull(name, "name");
        if (vectors.length == 0 || vectors.length != labels.length) {
            throw new IllegalArgumentException("a dataset needs rows and one label per row");
        }
    }

    public int dimensions() {
        return vectors[0].length;
    }

    public int size() {
        return vectors.length;
    }

    /** Whether the Fashion-MNIST files are installed. */
    public static boolean fashionMnistInstalled() {
        return Files.isReadable(FASHION_MNIST_DIR.resolve("train-images-idx3-ubyte.gz"))
                && Files.isReadable(FASHION_MNIST_DIR.resolve("t10k-images-idx3-ubyte.gz"));
    }

    /** The first {@code rows} training images (0 = all 60,000) and the first {@code queries} test images. */
    public static VectorDataset fashionMnist(int rows, int queries) throws IOException {
        IdxFile images = IdxFile.readGzip(FASHION_MNIST_DIR.resolve("train-images-idx3-ubyte.gz"));
        IdxFile labels = IdxFile.readGzip(FASHION_MNIST_DIR.resolve("train-labels-idx1-ubyte.gz"));
        IdxFile tests = IdxFile.readGzip(FASHION_MNIST_DIR.resolve("t10k-images-idx3-ubyte.gz"));
        int n = rows <= 0 ? images.dims()[0] : Math.min(rows, images.dims()[0]);
        float[][] vectors = new float[n][];
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            vectors[i] = images.item(i);
            names[i] = FASHION_LABELS[labels.data()[i] & 0xff];
        }
        int q = Math.min(queries, tests.dims()[0]);
        float[][] held = new float[q][];
        for (int i = 0; i < q; i++) {
            held[i] = tests.item(i);
        }
        return new VectorDataset("fashion-mnist-784 (" + n + " rows)", vectors, names, held);
    }

    /**
     * {@code rows} vectors around {@code clusters} gaussian centres (uniform in [-1, 1], spread
     * 0.15 per component), label = the cluster; queries drawn the same way. Seeded: reproducible.
     */
    public static VectorDataset clustered(int rows, int dimensions, int clusters, int queries, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] centres = new float[clusters][dimensions];
        for (float[] centre : centres) {
            for (int d = 0; d < dimensions; d++) {
                centre[d] = (float) (random.nextDouble() * 2 - 1);
            }
        }
        float[][] vectors = new float[rows][];
        String[] labels = new String[rows];
        for (int i = 0; i < rows; i++) {
            int c = random.nextInt(clusters);
            vectors[i] = around(centres[c], random);
            labels[i] = "c" + c;
        }
        float[][] held = new float[queries][];
        for (int i = 0; i < queries; i++) {
            held[i] = around(centres[random.nextInt(clusters)], random);
        }
        return new VectorDataset("clustered-" + dimensions + " (" + rows + " rows, " + clusters + " clusters)",
                vectors, labels, held);
    }

    private static float[] around(float[] centre, SplittableRandom random) {
        float[] v = new float[centre.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (centre[d] + gaussian(random) * 0.15);
        }
        return v;
    }

    private static double gaussian(SplittableRandom random) { // Box-Muller; SplittableRandom has no nextGaussian
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
