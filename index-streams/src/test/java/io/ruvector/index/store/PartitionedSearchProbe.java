package io.ruvector.index.store;

import io.ruvector.index.graph.GraphParams;
import io.ruvector.index.graph.HnswSettings;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Not a test: a probe for tuning the partitioned search path on Fashion-MNIST without the whole
 * {@code bench search} (args: rows partitions queries traversalCodesMinDims). One thread searches every partition in
 * turn; prints QPS and recall@10 per ef_search.
 */
public final class PartitionedSearchProbe {

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args[0]);
        int partitions = Integer.parseInt(args[1]);
        int queryCount = Integer.parseInt(args[2]);
        HnswSettings settings = HnswSettings.builder().traversalCodesMinDims(Integer.parseInt(args[3])).build();
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        float[][] data = images(dir.resolve("train-images-idx3-ubyte.gz"), rows);
        float[][] queries = images(dir.resolve("t10k-images-idx3-ubyte.gz"), queryCount);
        List<PartitionIndex> parts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int p = 0; p < partitions; p++) {
            PartitionIndex index = new PartitionIndex(settings, c -> Optional.of(new GraphParams(16, 64, Metric.L2)));
            index.beginRestore();
            for (int i = p; i < rows; i += partitions) {
                index.load(new IndexedVector("c", Integer.toString(i), null, data[i], Map.of(), i + 1, false));
            }
            index.endRestore();
            parts.add(index);
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

    private static float[][] images(Path file, int max) throws IOException {
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
