package io.ruvector.index.store;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.kernel.NibbleQuantizer;
import io.ruvector.index.kernel.ScalarQuantizer;
import io.ruvector.index.query.KnnHit;
import io.ruvector.index.query.KnnMerger;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.query.KnnResult;
import io.ruvector.schemas.Metric;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Not a test: a probe for tuning the partitioned search path on Fashion-MNIST without the whole
 * {@code bench search} (args: rows partitions queries traversalCodesMinDims [incremental]). One thread searches
 * every partition in turn; prints QPS and recall@10 per ef_search. With {@code incremental} the rows are put one by one
 * as the stream thread applies them (linked in batches) instead of one bulk build after a restore. With
 * {@code -Dprobe.mode=clientsN} N threads each run every query at ef 10 (or {@code -Dprobe.ef}) and print the bytes
 * each query allocated; with {@code -Dprobe.mode=split} one
 * thread runs the queries and hands partition 1 of each to a second thread (what splitting a search costs).
 * {@code -Dprobe.clusteredDims=128} uses 50 gaussian clusters of that dimension instead of Fashion-MNIST.
 * {@code -Dprobe.bits=8} walks on int8 codes only (default 4: 4-bit where the fit's check takes them).
 * {@code -Dprobe.alpha} and {@code -Dprobe.overflow} set jvector's diversity alpha and neighbour overflow (default 1.2 each).
 * {@code -Dprobe.quant=N} builds no index: it prints how much of the exact top 10 of 64 rows among N sampled ones
 * int8 and 4-bit codes keep (the check that chooses the traversal codes' width, on the same data).
 */
public final class PartitionedSearchProbe {

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        int partitions = Integer.parseInt(args[1]);
        int queryCount = Integer.parseInt(args[2]);
        boolean incremental = args.length > 4 && args[4].equals("incremental");
        HnswSettings settings = HnswSettings.builder().traversalCodesMinDims(Integer.parseInt(args[3]))
                .traversalCodeBits(Integer.getInteger("probe.bits", 4))
                .alpha(Float.parseFloat(System.getProperty("probe.alpha", "1.2")))
                .neighborOverflow(Float.parseFloat(System.getProperty("probe.overflow", "1.2"))).build();
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        int clusteredDims = Integer.getInteger("probe.clusteredDims", 0); // > 0: gaussian clusters instead of Fashion-MNIST
        float[][] data = clusteredDims > 0 ? clustered(rows, clusteredDims, 1) : images(dir.resolve("train-images-idx3-ubyte.gz"), rows);
        float[][] queries = clusteredDims > 0 ? clustered(queryCount, clusteredDims, 2)
                : images(dir.resolve("t10k-images-idx3-ubyte.gz"), queryCount);
        if (System.getProperty("probe.quant") != null) {
            quant(data);
            return;
        }
        List<PartitionIndex> parts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int p = 0; p < partitions; p++) {
            PartitionIndex index = new PartitionIndex(settings, c -> Optional.of(new GraphParams(16, 64, Metric.L2)));
            if (!incremental) {
                index.beginRestore();
            }
            for (int i = p; i < rows; i += partitions) {
                index.load(new IndexedVector("c", Integer.toString(i), null, data[i], Map.of(), i + 1, false));
            }
            if (incremental) {
                index.linkPending();
            } else {
                index.endRestore();
            }
            parts.add(index);
        }
        String mode = System.getProperty("probe.mode", "turn");
        if (!mode.equals("turn")) {
            concurrent(parts, queries, mode);
            return;
        }
        System.out.printf("built %d partitions in %.1f s%n", partitions, (System.nanoTime() - t0) / 1e9);
        List<Set<String>> truth = new ArrayList<>();
        for (float[] q : queries) {
            truth.add(ids(search(parts, KnnRequest.builder("c", q).k(10).metric(Metric.L2).exact(true).build())));
        }
        for (int round = 0; round < 3; round++) {
            for (int ef : new int[] {10, 20, 40, 80}) {
                {
                    long start = System.nanoTime();
                    int found = 0;
                    for (int i = 0; i < queries.length; i++) {
                        KnnRequest r = KnnRequest.builder("c", queries[i]).k(10).metric(Metric.L2).efSearch(ef).build();
                        Set<String> got = ids(search(parts, r));
                        got.retainAll(truth.get(i));
                        found += got.size();
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("round %d ef %3d QPS %7.0f recall %.4f%n", round, ef,
                            queries.length / seconds, found / (10.0 * queries.length));
                }
            }
        }
    }

    /** mode clients2: two threads each run every query (partitions in turn); split: one thread, partitions on two threads. */
    private static void concurrent(List<PartitionIndex> parts, float[][] queries, String mode) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        int ef = Integer.getInteger("probe.ef", 10);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            int total;
            if (mode.startsWith("clients")) {
                int clients = Integer.parseInt(mode.substring("clients".length()));
                List<java.util.concurrent.Future<Long>> fs = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    fs.add(pool.submit(() -> {
                        long allocated = threads.getCurrentThreadAllocatedBytes();
                        for (float[] q : queries) {
                            search(parts, KnnRequest.builder("c", q).k(10).metric(Metric.L2).efSearch(ef).build());
                        }
                        return (threads.getCurrentThreadAllocatedBytes() - allocated) / queries.length;
                    }));
                }
                for (var f : fs) {
                    System.out.printf("bytes allocated per query %d%n", f.get());
                }
                total = clients * queries.length;
            } else {
                for (float[] q : queries) {
                    KnnRequest r = KnnRequest.builder("c", q).k(10).metric(Metric.L2).efSearch(ef).build();
                    var other = pool.submit(() -> parts.get(1).search(r));
                    KnnResult mine = parts.get(0).search(r);
                    KnnMerger.merge(List.of(mine, other.get()), 10);
                }
                total = queries.length;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s round %d ef %d QPS %7.0f%n", mode, round, ef, total / seconds);
        }
        pool.shutdown();
    }

    private static KnnResult search(List<PartitionIndex> parts, KnnRequest request) {
        List<KnnResult> results = new ArrayList<>();
        for (PartitionIndex p : parts) {
            results.add(p.search(request));
        }
        return KnnMerger.merge(results, 10);
    }

    private static Set<String> ids(KnnResult result) {
        Set<String> ids = new HashSet<>();
        for (KnnHit hit : result.hits()) {
            ids.add(hit.id());
        }
        return ids;
    }

    /** 50 gaussian clusters (centres from seed 0, points from {@code seed}), as bench search's clustered set. */
    /** Top-10 overlap of int8 and 4-bit codes with the exact top 10 of 64 rows among {@code probe.quant} sampled ones (L2). */
    private static void quant(float[][] data) {
        int dims = data[0].length;
        int n = Integer.getInteger("probe.quant");
        int queries = 64;
        Random random = new Random(7);
        float[] sample = new float[n * dims];
        int[] offsets = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data[random.nextInt(data.length)], 0, sample, i * dims, dims);
            offsets[i] = i * dims;
        }
        ScalarQuantizer int8 = ScalarQuantizer.fit(sample, offsets, n, dims);
        NibbleQuantizer fourBits = NibbleQuantizer.fit(sample, offsets, n, dims);
        byte[] int8Row = new byte[dims];
        byte[] fourBitRow = new byte[NibbleQuantizer.rowBytes(dims)];
        float[][] exact = new float[n][];
        float[][] viaInt8 = new float[n][];
        float[][] viaFourBits = new float[n][];
        for (int i = 0; i < n; i++) {
            exact[i] = Arrays.copyOfRange(sample, i * dims, (i + 1) * dims);
            viaInt8[i] = new float[dims];
            int8.encode(sample, i * dims, int8Row, 0);
            int8.decode(int8Row, 0, viaInt8[i], 0);
            viaFourBits[i] = new float[dims];
            fourBits.encode(sample, i * dims, fourBitRow, 0);
            fourBits.decode(fourBitRow, 0, viaFourBits[i], 0);
        }
        double keptInt8 = 0;
        double keptFourBits = 0;
        for (int q = 0; q < queries; q++) {
            Set<Integer> truth = top10(exact[q], exact, q);
            keptInt8 += top10(exact[q], viaInt8, q).stream().filter(truth::contains).count() / 10.0;
            keptFourBits += top10(exact[q], viaFourBits, q).stream().filter(truth::contains).count() / 10.0;
        }
        System.out.printf("sample %d: top-10 overlap int8 %.3f, 4-bit %.3f%n", n, keptInt8 / queries, keptFourBits / queries);
    }

    /** The 10 rows of {@code rows} nearest to {@code q} (L2), {@code self} left out. */
    private static Set<Integer> top10(float[] q, float[][] rows, int self) {
        double[] distances = new double[rows.length];
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (i != self) {
                double sum = 0;
                for (int j = 0; j < q.length; j++) {
                    double d = q[j] - rows[i][j];
                    sum += d * d;
                }
                distances[i] = sum;
                ids.add(i);
            }
        }
        ids.sort(Comparator.comparingDouble(i -> distances[i]));
        return new HashSet<>(ids.subList(0, 10));
    }

    private static float[][] clustered(int count, int dims, long seed) {
        java.util.Random centres = new java.util.Random(0);
        float[][] centre = new float[50][dims];
        for (float[] c : centre) {
            for (int d = 0; d < dims; d++) {
                c[d] = (float) centres.nextGaussian();
            }
        }
        java.util.Random random = new java.util.Random(seed);
        float[][] out = new float[count][dims];
        for (float[] v : out) {
            float[] c = centre[random.nextInt(centre.length)];
            for (int d = 0; d < dims; d++) {
                v[d] = c[d] + 0.3f * (float) random.nextGaussian();
            }
        }
        return out;
    }

    /** The first {@code max} images of an IDX file of Fashion-MNIST as float rows (also {@link LinkBesideReadsProbe}'s data). */
    static float[][] images(Path file, int max) throws IOException {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            in.readInt();
            int count = Math.min(max, in.readInt());
            int dims = in.readInt() * in.readInt();
            float[][] out = new float[count][dims];
            for (int i = 0; i < count; i++) {
                for (int d = 0; d < dims; d++) {
                    out[i][d] = in.readUnsignedByte();
                }
            }
            return out;
        }
    }
}
