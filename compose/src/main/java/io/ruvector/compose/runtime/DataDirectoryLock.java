package io.ruvector.compose.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a runtime's data directory, held while the runtime runs: a second runtime
 * on the same directory stops before it writes anything there. (Without it the second one's
 * embedded KRaft controller opened the first one's metadata log before the broker's own log-dir
 * lock refused it, and the first runtime then hung in its shutdown.) The operating system
 * releases the lock when the holder dies, SIGKILL included, so a restart after a crash is never
 * refused.
 */
public final class DataDirectoryLock implements AutoCloseable {

    /** The lock file, in the data directory. */
    public static final String FILE_NAME = ".ruvector.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (created if missing) for this process.
     *
     * @throws DataDirectoryInUseException when another process (or another runtime in this one) holds it
     */
    public static DataDirectoryLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) { // held by this very JVM
            lock = null;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new DataDirectoryInUseException(dir, holder);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
        return new DataDirectoryLock(channel, lock);
    }

    /**
     * Deletes everything in the locked directory but the lock file (a demo starts clean), as
     * {@link RuntimeLifecycle#deleteRecursively} would the whole directory.
     */
    public void clear(Path dir) throws IOException {
        Path lockFile = dir.resolve(FILE_NAME);
        RuntimeLifecycle.deleteRecursively(dir, lockFile::equals);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** The pid the holder wrote, or "unknown". */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer bytes = ByteBuffer.allocate(32);
            int read = channel.read(bytes, 0);
            String pid = read <= 0 ? "" : new String(bytes.array(), 0, read, StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d+") ? pid : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Another runtime uses the data directory. */
    public static final class DataDirectoryInUseException extends IOException {

        DataDirectoryInUseException(Path dir, String pid) {
            super("data directory " + dir.toAbsolutePath() + " is in use by another RuVector runtime (process " + pid
                    + "); stop it or choose another --data-dir");
        }
    }
}
