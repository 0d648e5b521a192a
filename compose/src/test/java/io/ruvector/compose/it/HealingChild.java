package io.ruvector.compose.it;

import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.schemas.Metric;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The runtime in a child JVM for the healing crash test: fixed Kafka and HTTP ports, samples every
 * second, one collection registered (again after a restart, which is a no-op); prints READY and
 * runs until killed. Arguments: dataDir deployment kafkaPort controllerPort httpPort table collection.
 */
public final class HealingChild {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        RuntimeConfig config = RuntimeConfig.of(dataDir, TestPostgres.SETTINGS)
                .withBroker(new BrokerConfig(dataDir, Integer.parseInt(args[2]), Integer.parseInt(args[3])))
                .withDeployment(args[1]).withVectorPartitions(2).withHttp(HttpSettings.loopback(Integer.parseInt(args[4])))
                .withSampleInterval(Duration.ofSeconds(1));
        EmbeddedRuntime runtime = new EmbeddedRuntime(config).start();
        if (runtime.catalog().byName(args[6]) == null) {
            runtime.register(new CollectionRequest(args[6], args[5], "id", "embedding", Metric.L2, null, List.of(), 0, 0, 0), 0);
        }
        if (!runtime.capture().awaitCapturing("public." + args[5], Duration.ofSeconds(90))) {
            throw new IllegalStateException("capture did not start");
        }
        System.out.println("READY " + runtime.bootstrapServers());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
