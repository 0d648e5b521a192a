package io.ruvector.compose.cli;

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

    @Override
    public Integer call() throws Exception {
        EmbeddedRuntime runtime = new EmbeddedRuntime(options.config());
        CountDownLatch stopped = RuntimeLifecycle.closeOnShutdown(runtime);
        runtime.start();
        System.out.printf("RuVector Streams running: kafka %s, data %s. Register a table with%n"
                        + "  ./ruvector register --kafka %s --name items --table public.items --id id --vector embedding%n",
                runtime.bootstrapServers(), options.dataDir.toAbsolutePath(), runtime.bootstrapServers());
        stopped.await();
        return 0;
    }
}
