package io.ruvector.index.store;

import io.ruvector.index.graph.GraphParamsLookup;
import io.ruvector.index.graph.HnswSettings;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Times loading a partition's graph snapshot (not a test): {@code rows dims rounds}. Prints the
 * time of {@link PartitionIndex#beginRestore(Map)} per round, cold first.
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
