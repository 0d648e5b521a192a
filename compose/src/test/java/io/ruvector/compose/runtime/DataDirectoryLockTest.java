package io.ruvector.compose.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.compose.cli.RuvectorCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One runtime per data directory: a second one is refused before it writes there, with a
 * message naming the directory and the holder; the lock goes with its holder, and a demo's clean
 * start deletes everything but the lock.
 */
class DataDirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseASecondHolderUntilTheFirstLetsGo() throws Exception {
        Path data = dir.resolve("data");
        try (DataDirectoryLock first = DataDirectoryLock.acquire(data)) {
            assertThatThrownBy(() -> DataDirectoryLock.acquire(data))
                    .isInstanceOf(DataDirectoryLock.DataDirectoryInUseException.class)
                    .hasMessageContaining(data.toAbsolutePath().toString())
                    .hasMessageContaining("process " + ProcessHandle.current().pid());
        }
        try (DataDirectoryLock again = DataDirectoryLock.acquire(data)) {
            assertThat(data.resolve(DataDirectoryLock.FILE_NAME)).exists();
        }
    }

    @Test
    void shouldStopRunBeforeItWritesIntoADirectoryInUse() throws Exception {
        Path data = dir.resolve("busy");
        try (DataDirectoryLock held = DataDirectoryLock.acquire(data)) {
            StringWriter err = new StringWriter();
            int exit = RuvectorCli.commandLine().setErr(new PrintWriter(err, true))
                    .execute("run", "--data-dir", data.toString(), "--http-port", "0", "--kafka-port", "0",
                            "--controller-port", "0", "--pg", "postgresql://127.0.0.1:1/none");
            assertThat(exit).isEqualTo(2);
            assertThat(err.toString()).startsWith("ruvector run: data directory ").contains("is in use by another");
            try (var files = Files.list(data)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList())
                        .as("no log file, no broker directory").containsExactly(DataDirectoryLock.FILE_NAME);
            }
        }
    }

    @Test
    void shouldClearEverythingButTheLock() throws Exception {
        Path data = dir.resolve("demo");
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(data)) {
            Files.createDirectories(data.resolve("kafka/topic-0"));
            Files.writeString(data.resolve("kafka/topic-0/log"), "x");
            Files.writeString(data.resolve("search.json"), "{}");
            lock.clear(data);
            try (var files = Files.list(data)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly(DataDirectoryLock.FILE_NAME);
            }
            assertThatThrownBy(() -> DataDirectoryLock.acquire(data)).as("still held after the clear")
                    .isInstanceOf(DataDirectoryLock.DataDirectoryInUseException.class);
        }
    }
}
