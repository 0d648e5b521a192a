package io.ruvector.compose.cli;

import io.ruvector.compose.http.HttpApiServer;
import io.ruvector.compose.runtime.DataDirectoryLock;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.RuntimeLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ./ruvector run}: the embedded runtime until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the embedded runtime (Kafka broker + capture) against a PostgreSQL with pgvector until stopped.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    RuntimeOptions options = new RuntimeOptions();

    /** Held while this command runs: a field, so it stays reachable (an unreachable channel is closed by the cleaner). */
    private DataDirectoryLock lock;

    @Override
    public Integer call() throws Exception {
        // first: a second runtime on this directory must not write a byte there, not even its log
        lock = DataDirectoryLock.acquire(options.dataDir); // held until the process exits
        java.nio.file.Path log = ConsoleLog.toFile(options.dataDir);
        System.out.printf("RuVector Streams starting (data %s, log file %s)%n", options.dataDir.toAbsolutePath(), log);
        EmbeddedRuntime runtime = new EmbeddedRuntime(options.config());
        CountDownLatch stopped = RuntimeLifecycle.closeOnShutdown(runtime);
        runtime.start();
        HttpApiServer http = runtime.serveHttp(options.httpPort);
        System.out.printf("RuVector Streams running: HTTP http://" + options.httpHost + ":%d, kafka %s. Register a table with%n"
                        + "  curl -X POST localhost:%d/v1/collections -d '{\"name\":\"items\",\"table\":\"public.items\",\"id_column\":\"id\",\"vector_column\":\"embedding\"}'%n",
                http.port(), runtime.bootstrapServers(), http.port());
        stopped.await();
        lock.close();
        return 0;
    }
}
