package io.ruvector.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.index.graph.GraphParamsLookup;
import io.ruvector.index.graph.HnswSettings;
import io.ruvector.index.kernel.RandomVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots on disk in two steps: written to temporary files under the store's lock, then forced
 * to disk and moved into place off the stream thread. Until the second step the previous snapshot
 * is the one a restart reads; after it the new one is, and stale files are gone.
 */
class GraphSnapshotFilesTest {

    private static final HnswSettings SETTINGS = HnswSettings.builder().exactBelowRows(100).build();

    @TempDir
    Path taskDir;

    @Test
    void shouldKeepThePreviousSnapshotUntilTheNewOneIsCompleted() throws IOException {
        ClusteredData data = new ClusteredData(RandomVectors.seed("snapshot-files"), 6, 8, 0.3);
        PartitionIndex index = new PartitionIndex(SETTINGS, GraphParamsLookup.NONE);
        long lsn = 0;
        for (int i = 0; i < 300; i++) {
            index.apply(Changes.upsert("c", "r" + i, ++lsn, false, data.next(), Map.of()));
        }
        index.linkPending();
        GraphSnapshotFiles files = new GraphSnapshotFiles(taskDir);
        assertThat(files.writeUnsynced(index).complete()).isEqualTo(1);
        int first = files.read().get("c").capacity();
        Path stale = taskDir.resolve(GraphSnapshotFiles.DIRECTORY).resolve("dropped.graph");
        Files.write(stale, new byte[] {1, 2, 3}); // a collection whose graph is gone

        for (int i = 300; i < 600; i++) {
            index.apply(Changes.upsert("c", "r" + i, ++lsn, false, data.next(), Map.of()));
        }
        index.linkPending();
        GraphSnapshotFiles.Unsynced second = files.writeUnsynced(index);
        // written, not in place: a restart now still reads the first snapshot
        assertThat(files.read().get("c").capacity()).isEqualTo(first);
        assertThat(second.complete()).isEqualTo(1);

        Map<String, java.nio.ByteBuffer> now = files.read();
        assertThat(now).containsOnlyKeys("c");
        assertThat(now.get("c").capacity()).isGreaterThan(first); // 600 rows' vectors and links
        try (var left = Files.list(taskDir.resolve(GraphSnapshotFiles.DIRECTORY))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("c.graph"); // no .tmp, no stale file
        }
    }
}
