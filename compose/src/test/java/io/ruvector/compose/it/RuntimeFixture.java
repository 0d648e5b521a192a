package io.ruvector.compose.it;

import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.Metric;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** An embedded runtime on free ports with its own replication slot, for one test class. */
final class RuntimeFixture implements AutoCloseable {

    final String deployment;
    final Path dataDir;
    private final BrokerConfig broker;
    EmbeddedRuntime runtime;

    RuntimeFixture(Path dataDir) {
        this.deployment = "it_" + TestPostgres.unique();
        this.dataDir = dataDir;
        this.broker = BrokerConfig.ephemeral(dataDir);
    }

    RuntimeFixture start() throws InterruptedException {
        // 8 partitions, not the default 2: the shared tests cover the scatter/gather over partitions.
        return start(8);
    }

    RuntimeFixture start(int partitions) throws InterruptedException {
        RuntimeConfig config = RuntimeConfig.of(dataDir, TestPostgres.SETTINGS).withBroker(broker).withDeployment(deployment)
                .withVectorPartitions(partitions);
        runtime = new EmbeddedRuntime(config).start();
        // start() returns once the parts are started; the tests begin once it is ready (index RUNNING)
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!runtime.health().ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready within 60 s: " + runtime.health().firstProblem());
            }
            Thread.sleep(50);
        }
        return this;
    }

    /** Stops the runtime but keeps its data directory and slot, as a process restart would. */
    void stop() {
        runtime.close();
    }

    /** Registers a collection and waits until the capture includes its table. */
    CollectionSpec register(String name, String table, String vectorColumn, Metric metric, List<String> metadata,
                            String tenant, int dimensions) throws Exception {
        CollectionSpec spec = runtime.register(new CollectionRequest(name, table, "id", vectorColumn, metric, tenant,
                metadata, 0, 0, 0), dimensions);
        if (!runtime.capture().awaitCapturing(spec.getTable(), Duration.ofSeconds(90))) {
            throw new AssertionError("capture did not include " + spec.getTable() + " within 90 s");
        }
        return spec;
    }

    VectorsTopic vectors() {
        return new VectorsTopic(runtime.bootstrapServers(), runtime.config().topics().vectors());
    }

    VectorsTopic deadLetters() {
        return new VectorsTopic(runtime.bootstrapServers(), runtime.config().topics().vectorsDeadLetters());
    }

    @Override
    public void close() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        TestPostgres.dropDeployment(deployment);
    }
}
