package io.ruvector.compose.it;

import io.ruvector.cdc.collection.CollectionRequest;
import io.ruvector.compose.broker.BrokerConfig;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.compose.runtime.HttpSettings;
import io.ruvector.compose.runtime.RuntimeConfig;
import io.ruvector.index.cluster.IndexPlacement;
import io.ruvector.schemas.Metric;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two index instances on one broker, each with its own state directory and HTTP API: a search
 * on either returns the full merged answer (equal to pgvector's exact one); when one stops, the
 * other answers completely once the partitions have moved.
 */
class MultiInstanceIT {

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
    void eitherInstanceAnswersTheWholeIndexAndTheSurvivorTakesOver() throws Exception {
        first = new EmbeddedRuntime(RuntimeConfig.of(dirA, TestPostgres.SETTINGS).withBroker(BrokerConfig.ephemeral(dirA))
                .withDeployment(deployment).withVectorPartitions(4).withHttp(HttpSettings.loopback(0))).start();
        second = new EmbeddedRuntime(RuntimeConfig.of(dirB, TestPostgres.SETTINGS).withDeployment(deployment)
                .joining(first.bootstrapServers()).withHttp(HttpSettings.loopback(0))).start();
        int portA = first.serveHttp(0).port();
        int portB = second.serveHttp(0).port();

        String table = "multi_" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id bigint PRIMARY KEY, embedding vector(" + DIMS + "))",
                "INSERT INTO " + table + " SELECT g, (SELECT array_agg(random()::real) FROM generate_series(1, " + DIMS
                        + ") d WHERE g > 0)::vector FROM generate_series(1, " + ROWS + ") g");
        first.register(new CollectionRequest("multi", "public." + table, "id", "embedding", Metric.L2, null, List.of(),
                0, 0, 0), DIMS);
        awaitBothHostPartitions(portA, portB);
        String lsn = (String) TestPostgres.query("SELECT pg_current_wal_lsn()::text").getFirst().getFirst();

        SplittableRandom random = new SplittableRandom(11);
        for (int q = 0; q < 10; q++) {
            float[] query = SearchCalls.randomVector(random, DIMS);
            List<String> expected = SearchCalls.pgvectorTop(table, query, 10);
            assertThat(searchIds(portA, query, lsn)).as("query %d on the first instance", q).isEqualTo(expected);
            assertThat(searchIds(portB, query, lsn)).as("query %d on the second instance", q).isEqualTo(expected);
        }

        // A bucket hand-off between a partition of each instance (the capture's rebalance executor runs
        // on the first): every answer on either instance stays pgvector's exact one throughout, so the
        // hits in transit are settled across instances (peer version lookups) without a duplicate or a gap.
        IndexPlacement placement = first.cluster().placement();
        HostInfo hostA = new HostInfo("127.0.0.1", portA);
        int from = placement.active().entrySet().stream().filter(e -> e.getValue().equals(hostA)).findFirst().orElseThrow().getKey();
        int to = placement.active().entrySet().stream().filter(e -> !e.getValue().equals(hostA)).findFirst().orElseThrow().getKey();
        HandOffCommands.send(first, "multi", from, to, 1.0);
        long sent = System.nanoTime();
        long settle = sent + Duration.ofSeconds(60).toNanos();
        int checked = 0;
        while (liveRows(first, from) > 0 || liveRows(first, -1) + liveRows(second, -1) != ROWS
                || System.nanoTime() - sent < Duration.ofSeconds(4).toNanos()) {
            assertThat(System.nanoTime()).as("partition %d handed to %d within 60 s", from, to).isLessThan(settle);
            float[] query = SearchCalls.randomVector(random, DIMS);
            List<String> expected = SearchCalls.pgvectorTop(table, query, 10);
            assertThat(searchIds(checked % 2 == 0 ? portA : portB, query, lsn)).as("query during the hand-off").isEqualTo(expected);
            checked++;
        }
        System.out.printf("MultiInstanceIT: %d exact answers checked during the hand-off of partition %d to %d%n", checked,
                from, to);

        second.close(); // leaves the group: its partitions move to the first instance
        second = null;
        TestPostgres.exec("INSERT INTO " + table + " VALUES (" + (ROWS + 1) + ", '" + Floats.text(new float[DIMS]) + "')");
        String after = (String) TestPostgres.query("SELECT pg_current_wal_lsn()::text").getFirst().getFirst();
        float[] origin = new float[DIMS];
        List<String> answer = awaitAnswer(portA, origin, after, Duration.ofSeconds(90));
        assertThat(answer).isEqualTo(SearchCalls.pgvectorTop(table, origin, 10)).startsWith(Integer.toString(ROWS + 1));
        assertThat(first.cluster().placement().active()).hasSize(4);
    }

    /** Live rows of {@code multi} in {@code partition} of {@code runtime}'s active tasks, or in all of them for -1. */
    private static long liveRows(EmbeddedRuntime runtime, int partition) {
        return runtime.index().stats("multi").entrySet().stream().filter(e -> partition < 0 || e.getKey() == partition)
                .mapToLong(e -> e.getValue().liveRows()).sum();
    }

    /** Waits until the rebalance gives each instance some partitions. */
    private void awaitBothHostPartitions(int portA, int portB) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        IndexPlacement placement = null;
        while (System.nanoTime() < deadline) {
            placement = first.cluster().placement();
            if (placement.active().size() == 4 && new HashSet<>(placement.active().values()).equals(
                    java.util.Set.of(new HostInfo("127.0.0.1", portA), new HostInfo("127.0.0.1", portB)))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the two instances did not share the 4 partitions within 90 s: " + placement);
    }

    private List<String> awaitAnswer(int port, float[] query, String lsn, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = SearchCalls.exactTop10(client, port, "multi", query, lsn);
            if (last.statusCode() == 200) {
                return SearchCalls.ids(last);
            }
            assertThat(last.statusCode()).as(last.body()).isIn(503, 504);
            Thread.sleep(200);
        }
        throw new AssertionError("no complete answer within " + timeout + "; last: " + last.body());
    }

    private List<String> searchIds(int port, float[] query, String lsn) throws Exception {
        HttpResponse<String> response = SearchCalls.exactTop10(client, port, "multi", query, lsn);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return SearchCalls.ids(response);
    }
}
