package io.ruvector.index.store;

import io.ruvector.index.graph.GraphParamsLookup;
import io.ruvector.index.graph.HnswSettings;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Times writing and loading a partition's graph snapshot (not a test): {@code rows dims rounds [file]}.
 * Prints the time of {@link PartitionIndex#writeSnapshots} and of {@link PartitionIndex#beginRestore(Map)}
 * per round, cold first; with a file that exists, only loads it in this fresh JVM.
 */
public final class SnapshotLoadProbe {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int dims = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        java.nio.file.Path file = args.length > 3 ? java.nio.file.Path.of(args[3]) : null;
        if (file != null && java.nio.file.Files.exists(file)) { // a cold JVM loads what another wrote
            ByteBuffer saved = ByteBuffer.wrap(java.nio.file.Files.readAllBytes(file));
            for (int round = 0; round < rounds; round++) {
                PartitionIndex restored = new PartitionIndex(HnswSettings.DEFAULT, GraphParamsLookup.NONE);
                long start = System.nanoTime();
                restored.beginRestore(Map.of("c", saved.duplicate()));
                System.out.printf("cold JVM, round %d: beginRestore %d ms%n", round, (System.nanoTime() - start) / 1_000_000);
            }
            return;
        }
        ClusteredData data = new ClusteredData(42, 50, dims, 0.3);
        PartitionIndex live = new PartitionIndex(HnswSettings.DEFAULT, GraphParamsLookup.NONE);
        live.beginRestore();
        for (int i = 0; i < rows; i++) {
            live.load(new IndexedVector("c", "r" + i, null, data.next(), Map.of(), i + 1, false));
        }
        live.endRestore();
        live.linkPending();
        for (int round = 0; round < rounds; round++) { // the write a commit does on the stream thread, to a stream that discards
            long start = System.nanoTime();
            live.writeSnapshots((collection, body) -> {
                try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(java.io.OutputStream.nullOutputStream(), 1 << 16))) {
                    body.writeTo(out);
                }
            });
            System.out.printf("round %d: writeSnapshots %d ms%n", round, (System.nanoTime() - start) / 1_000_000);
        }
        Map<String, ByteBuffer> snapshots = new TreeMap<>();
        live.writeSnapshots((collection, body) -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                body.writeTo(out);
            }
            snapshots.put(collection, ByteBuffer.wrap(bytes.toByteArray()));
        });
        System.out.printf("snapshot of %d rows x %d: %,d bytes%n", rows, dims, snapshots.get("c").capacity());
        if (file != null) {
            java.nio.file.Files.write(file, snapshots.get("c").array());
        }
        for (int round = 0; round < rounds; round++) {
            PartitionIndex restored = new PartitionIndex(HnswSettings.DEFAULT, GraphParamsLookup.NONE);
            long start = System.nanoTime();
            restored.beginRestore(Map.of("c", snapshots.get("c").duplicate()));
            System.out.printf("round %d: beginRestore %d ms%n", round, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
