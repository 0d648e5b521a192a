package io.ruvector.compose.it;

import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.schemas.Metric;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The runtime in a child JVM, for the crash test: starts on fixed ports, registers one
 * collection, prints READY and runs until killed.
 * Arguments: dataDir deployment kafkaPort controllerPort table collection.
 */
public final class CaptureChild {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        RuntimeConfig config = RuntimeConfig.of(dataDir, TestPostgres.SETTINGS)
                .withBroker(new BrokerConfig(dataDir, Integer.parseInt(args[2]), Integer.parseInt(args[3])))
                .withDeployment(args[1]);
        EmbeddedRuntime runtime = new EmbeddedRuntime(config).start();
        runtime.register(new CollectionRequest(args[5], args[4], "id", "embedding", Metric.L2, null, List.of(), 0, 0, 0), 0);
        if (!runtime.capture().awaitCapturing("public." + args[4], Duration.ofSeconds(90))) {
            throw new IllegalStateException("capture did not start");
        }
        System.out.println("READY " + runtime.bootstrapServers());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
