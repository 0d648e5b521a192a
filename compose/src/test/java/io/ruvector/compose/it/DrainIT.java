package io.ruvector.compose.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.index.cluster.IndexPlacement;
import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.Metric;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drain_hot_partition} on two index instances: the executors pin a partition's active
 * task to the other instance (the custom task assignor, KIP-924) and the group rebalances; the
 * task moves there, onto the standby it already had, and a checker searching all the while on
 * both instances gets pgvector's exact answer every time (no partition missing, no row twice).
 * The rollback moves it back.
 */
class DrainIT {

    private static final int DIMS = 16;
    private static final int ROWS = 3_000;

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private final String deployment = "it_" + TestPostgres.unique();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EmbeddedRuntime first;
    private EmbeddedRuntime second;

    @AfterEach
    void stop() throws Exception {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        TestPostgres.dropDeployment(deployment);
    }

    @Test
    void shouldMoveTheHotTaskToTheOtherInstanceWhileQueriesAnswerCompletelyAndMoveItBackOnRollback() throws Exception {
        first = new EmbeddedRuntime(RuntimeConfig.of(dirA, TestPostgres.SETTINGS).withBroker(BrokerConfig.ephemeral(dirA))
                .withDeployment(deployment).withVectorPartitions(4).withHttp(HttpSettings.loopback(0))).start();
        second = new EmbeddedRuntime(RuntimeConfig.of(dirB, TestPostgres.SETTINGS).withDeployment(deployment)
                .joining(first.bootstrapServers()).withHttp(HttpSettings.loopback(0))).start();
        int portA = first.serveHttp(0).port();
        int portB = second.serveHttp(0).port();
        String table = "drain_" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(" + DIMS + "))",
                "INSERT INTO " + table + " SELECT g, (SELECT array_agg(random()::real) FROM generate_series(1, " + DIMS
                        + ") d WHERE g > 0)::vector FROM generate_series(1, " + ROWS + ") g");
        first.register(new CollectionRequest("drained", "public." + table, "id", "embedding", Metric.L2, null, List.of(),
                0, 0, 0), DIMS);
        HostInfo hostA = new HostInfo("127.0.0.1", portA);
        HostInfo hostB = new HostInfo("127.0.0.1", portB);
        IndexPlacement placement = awaitShared(hostA, hostB);
        String lsn = (String) TestPostgres.query("SELECT pg_current_wal_lsn()::text").getFirst().getFirst();
        awaitAnswer(portA, new float[DIMS], lsn);

        int partition = placement.active().entrySet().stream().filter(e -> e.getValue().equals(hostA)).findFirst()
                .orElseThrow().getKey();
        AtomicBoolean checking = new AtomicBoolean(true);
        AtomicInteger checked = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread checker = Thread.ofPlatform().name("drain-checker").start(() -> {
            SplittableRandom random = new SplittableRandom(7);
            try {
                while (checking.get()) {
                    float[] query = SearchCalls.randomVector(random, DIMS);
                    List<String> expected = SearchCalls.pgvectorTop(table, query, 10);
                    HttpResponse<String> answer = SearchCalls.exactTop10(client, checked.get() % 2 == 0 ? portA : portB,
                            "drained", query, lsn);
                    assertThat(answer.statusCode()).as("a search during the move: %s", answer.body()).isEqualTo(200);
                    assertThat(SearchCalls.ids(answer)).as("exact answer during the move").isEqualTo(expected);
                    checked.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });

        long start = System.nanoTime();
        String drain = HandOffCommands.drain(first.bootstrapServers(), "drained", partition);
        assertThat(HandOffCommands.awaitAck(first.bootstrapServers(), drain)).isEqualTo(AckStatus.APPLIED);
        assertThat(first.cluster().placement().activeHost(partition)).as("partition %d moved", partition).isEqualTo(hostB);
        double moved = (System.nanoTime() - start) / 1e9;
        Thread.sleep(2_000); // searches go on after the move
        String back = HandOffCommands.rollbackDrain(first.bootstrapServers(), "drained", drain);
        assertThat(HandOffCommands.awaitAck(first.bootstrapServers(), back)).isEqualTo(AckStatus.ROLLED_BACK);
        assertThat(first.cluster().placement().activeHost(partition)).as("partition %d moved back", partition)
                .isEqualTo(hostA);
        Thread.sleep(2_000);
        checking.set(false);
        checker.join(120_000);
        if (failure.get() != null) {
            throw new AssertionError("after " + checked.get() + " exact answers", failure.get());
        }
        System.out.printf("DrainIT: partition %d moved to %s in %.1f s and back; %d exact answers checked meanwhile%n",
                partition, hostB, moved, checked.get());
        assertThat(checked.get()).isGreaterThan(10);
    }

    private IndexPlacement awaitShared(HostInfo a, HostInfo b) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        IndexPlacement placement = null;
        while (System.nanoTime() < deadline) {
            placement = first.cluster().placement();
            if (placement.active().size() == 4 && new HashSet<>(placement.active().values()).equals(Set.of(a, b))) {
                return placement;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the two instances did not share the 4 partitions within 90 s: " + placement);
    }

    private void awaitAnswer(int port, float[] query, String lsn) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (SearchCalls.exactTop10(client, port, "drained", query, lsn).statusCode() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no answer within 90 s");
    }
}
