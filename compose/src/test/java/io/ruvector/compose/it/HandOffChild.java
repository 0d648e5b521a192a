package io.ruvector.compose.it;

import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.index.query.CollectionStats;
import io.ruvector.schemas.Metric;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The runtime in a child JVM for {@link HandOffCrashIT}: starts on fixed ports with 4 vector
 * partitions, registers the collection on the first start, waits until the index holds every row
 * of the table, prints READY and runs until a hand-off failpoint halts it.
 * Arguments: dataDir deployment kafkaPort controllerPort table collection register(true|false).
 */
public final class HandOffChild {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        EmbeddedRuntime runtime = new EmbeddedRuntime(config(dataDir, args[1], Integer.parseInt(args[2]),
                Integer.parseInt(args[3]))).start();
        String table = args[4];
        String collection = args[5];
        if (Boolean.parseBoolean(args[6])) {
            runtime.register(new CollectionRequest(collection, "public." + table, "id", "embedding", Metric.L2, null,
                    List.of(), 0, 0, 0), 0);
            if (!runtime.capture().awaitCapturing("public." + table, Duration.ofSeconds(90))) {
                throw new IllegalStateException("capture did not start");
            }
        }
        long rows = ((Number) TestPostgres.query("SELECT count(*) FROM " + table).getFirst().getFirst()).longValue();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (runtime.index().stats(collection).values().stream().mapToLong(CollectionStats::liveRows).sum() != rows) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the index did not reach " + rows + " rows");
            }
            Thread.sleep(100);
        }
        System.out.println("READY " + runtime.bootstrapServers());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static RuntimeConfig config(Path dataDir, String deployment, int kafkaPort, int controllerPort) {
        return RuntimeConfig.of(dataDir, TestPostgres.SETTINGS)
                .withBroker(new BrokerConfig(dataDir, kafkaPort, controllerPort))
                .withDeployment(deployment).withVectorPartitions(4);
    }
}
