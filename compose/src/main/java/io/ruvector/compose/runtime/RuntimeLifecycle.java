package io.ruvector.compose.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;

/** Process-level helpers of the runtime: serving until the JVM is asked to stop, scratch directories. */
public final class RuntimeLifecycle {

    private RuntimeLifecycle() {
    }

    /** Closes the runtime when the JVM shuts down (Ctrl-C, SIGTERM); returns a latch released after that. */
    public static CountDownLatch closeOnShutdown(EmbeddedRuntime runtime) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }, "ruvector-shutdown"));
        return stopped;
    }

    /** Deletes a scratch directory tree (demo and benchmark state); a missing one is fine. */
    public static void deleteRecursively(Path dir) throws IOException {
        deleteRecursively(dir, path -> false);
    }

    /** As {@link #deleteRecursively(Path)}, keeping the paths {@code keep} accepts and the directories holding them. */
    static void deleteRecursively(Path dir, java.util.function.Predicate<Path> keep) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!keep.test(p) && !(Files.isDirectory(p) && !isEmpty(p))) {
                    Files.delete(p);
                }
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
