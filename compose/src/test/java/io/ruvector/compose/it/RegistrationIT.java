package io.ruvector.compose.it;

import io.ruvector.schemas.Metric;
import io.ruvector.schemas.VectorChange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Registering a table while others stream: its existing rows arrive and nothing already captured is lost. */
class RegistrationIT extends SharedRuntime {


    @Test
    void shouldSnapshotNewTableAndLoseNoChangeOfOthersWhenRegisteredWhileStreaming() throws Exception {
        String busy = "busy_" + TestPostgres.unique();
        String late = "late_" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + busy + " (id int PRIMARY KEY, embedding vector(2))",
                "CREATE TABLE " + late + " (id int PRIMARY KEY, embedding vector(2))",
                "INSERT INTO " + late + " SELECT g, ARRAY[g, -g]::vector FROM generate_series(1, 500) g");
        String busyName = "b" + TestPostgres.unique();
        String lateName = "l" + TestPostgres.unique();
        fixture.register(busyName, busy, "embedding", Metric.L2, List.of(), null, 0);

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            try (var c = TestPostgres.connect(); var st = c.prepareStatement("INSERT INTO " + busy + " VALUES (?, ?::vector)")) {
                while (writing.get()) {
                    int id = written.incrementAndGet();
                    st.setInt(1, id);
                    st.setString(2, "[" + id + ",1]");
                    st.executeUpdate();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        Thread.sleep(500);
        fixture.register(lateName, late, "embedding", Metric.L2, List.of(), null, 0);
        TestPostgres.exec("INSERT INTO " + late + " VALUES (501, '[501,-501]')");
        Thread.sleep(500);
        writing.set(false);
        writer.join();
        int total = written.get();

        try (VectorsTopic topic = fixture.vectors()) {
            topic.await(r -> ids(topic, lateName).size() == 501 && ids(topic, busyName).size() == total,
                    Duration.ofSeconds(90), "501 rows of the new table and " + total + " of the busy one");
            assertThat(ids(topic, busyName)).hasSize(total);
            assertThat(ids(topic, lateName)).hasSize(501);
        }
    }

    private static Set<String> ids(VectorsTopic topic, String collection) {
        return topic.changes(collection).stream().map(VectorChange::getId).collect(Collectors.toSet());
    }
}
