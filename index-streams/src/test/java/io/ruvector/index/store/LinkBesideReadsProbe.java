package io.ruvector.index.store;

import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.query.KnnRequest;
import io.ruvector.index.telemetry.MaintenanceJobs;
import io.ruvector.schemas.ChangeOp;
import io.ruvector.schemas.Metric;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Not a test: how long searches and point reads of one partition wait while the stream thread
 * applies and links rows of Fashion-MNIST (784 dimensions) beside them (args: preloaded rows,
 * applied rows, apply rate per second or 0 for as fast as it goes, and {@code noreader} to time
 * the applies alone). One thread applies, as the
 * stream thread does (a flush every 100 ms, as a commit); one thread reads without pause, a graph
 * search (ef 40) then a point read of a row already applied. Prints the applied rate and the
 * readers' latency percentiles.
 */
public final class LinkBesideReadsProbe {

    public static void main(String[] args) throws Exception {
        int preloaded = Integer.parseInt(args[0]);
        int applied = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        boolean reads = args.length < 4 || !args[3].equals("noreader");
        float[][] data = PartitionedSearchProbe.images(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"), preloaded + applied);
        GraphMaintenance maintenance = GraphMaintenance.manual();
        VectorIndexStore store = TestStores.open(TestStores.inner("probe"), HnswSettings.DEFAULT, maintenance,
                new MaintenanceJobs());
        long lsn = 0;
        for (int i = 0; i < preloaded; i++) {
            store.apply(Changes.change("c", Integer.toString(i), ChangeOp.UPSERT, ++lsn, false, data[i], Map.of(), null));
        }
        store.flush();
        AtomicBoolean done = new AtomicBoolean();
        int[] appliedSoFar = {preloaded};
        long[] latencies = new long[4_000_000];
        int[] count = {0};
        Thread reader = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(7);
            while (!done.get() && count[0] < latencies.length - 2) {
                float[] q = data[random.nextInt(data.length)];
                long t0 = System.nanoTime();
                store.search(KnnRequest.builder("c", q).k(10).metric(Metric.L2).efSearch(40).build());
                long t1 = System.nanoTime();
                store.get("c", Integer.toString(random.nextInt(appliedSoFar[0])));
                long t2 = System.nanoTime();
                latencies[count[0]++] = t1 - t0;
                latencies[count[0]++] = t2 - t1;
            }
        }, "reader");
        if (reads) {
            reader.start();
        }
        long start = System.nanoTime();
        long lastFlush = start;
        for (int i = preloaded; i < preloaded + applied; i++) {
            if (rate > 0) {
                long due = start + (long) ((i - preloaded) * 1e9 / rate);
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
            }
            store.apply(Changes.change("c", Integer.toString(i), ChangeOp.UPSERT, ++lsn, false, data[i], Map.of(), null));
            appliedSoFar[0] = i + 1;
            if (System.nanoTime() - lastFlush > 100_000_000L) {
                store.flush();
                lastFlush = System.nanoTime();
            }
        }
        store.flush();
        double seconds = (System.nanoTime() - start) / 1e9;
        done.set(true);
        if (reads) {
            reader.join();
        }
        store.close();
        maintenance.close();
        System.out.printf("applied %d rows in %.1f s (%.0f rows/s); %s%n", applied, seconds, applied / seconds,
                count[0] == 0 ? "no reads" : reads(Arrays.copyOf(latencies, count[0])));
    }

    private static String reads(long[] latencies) {
        Arrays.sort(latencies);
        return String.format("%d reads: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms", latencies.length,
                at(latencies, 0.50), at(latencies, 0.99), at(latencies, 0.999), latencies[latencies.length - 1] / 1e6);
    }

    private static double at(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }
}
