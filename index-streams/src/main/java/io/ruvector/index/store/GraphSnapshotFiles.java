package io.ruvector.index.store;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One partition's graph snapshots on disk, beside its state store in the task directory:
 * {@code ruvector-graphs/<collection>.graph}. A snapshot is written to a temporary file and moved
 * into place atomically, so a crash mid-write leaves the previous one; snapshots of collections
 * that no longer have a graph are removed on the next write. Reading maps the files; the loaded
 * index copies what it needs onto the heap.
 */
final class GraphSnapshotFiles {

    static final String DIRECTORY = "ruvector-graphs";
    private static final String SUFFIX = ".graph";

    private final Path dir;

    GraphSnapshotFiles(Path taskDir) {
        this.dir = taskDir.resolve(DIRECTORY);
    }

    /** Writes a snapshot of every collection of {@code index} that has a graph; returns how many. */
    int write(PartitionIndex index) throws IOException {
        Files.createDirectories(dir);
        Set<Path> written = new HashSet<>();
        index.writeSnapshots((collection, body) -> {
            Path target = dir.resolve(collection + SUFFIX);
            Path temp = dir.resolve(collection + SUFFIX + ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                         java.nio.channels.Channels.newOutputStream(channel), 1 << 16))) {
                body.writeTo(out);
                out.flush();
                channel.force(false); // on disk before it replaces the previous snapshot
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            written.add(target);
        });
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (!written.contains(file)) {
                    Files.deleteIfExists(file); // a dropped graph, or a temporary file a crash left
                }
            }
        }
        return written.size();
    }

    /** The snapshots on disk by collection (empty when there are none). */
    Map<String, ByteBuffer> read() throws IOException {
        Map<String, ByteBuffer> snapshots = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return snapshots;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    snapshots.put(name.substring(0, name.length() - SUFFIX.length()),
                            channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
                }
            }
        }
        return snapshots;
    }
}
