package io.ruvector.compose.it;

import io.ruvector.schemas.Metric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A stopped runtime misses nothing: changes made while it was down arrive after it starts again. */
class RecoveryIT {

    @TempDir
    Path dataDir;
    RuntimeFixture fixture;

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldFinishTheSnapshotOfANewTableWhenStoppedBeforeItEnded() throws Exception {
        String first = "recf_" + TestPostgres.unique();
        String big = "recb_" + TestPostgres.unique();
        int rows = 40_000;
        TestPostgres.exec("CREATE TABLE " + first + " (id int PRIMARY KEY, embedding vector(2))",
                "CREATE TABLE " + big + " (id int PRIMARY KEY, embedding vector(8))",
                "INSERT INTO " + big + " SELECT g, ARRAY[g, 1, 2, 3, 4, 5, 6, 7]::vector FROM generate_series(1, " + rows + ") g");
        fixture = new RuntimeFixture(dataDir).start();
        fixture.register("f" + TestPostgres.unique(), first, "embedding", Metric.L2, List.of(), null, 0);
        String name = "b" + TestPostgres.unique();
        long before = fixture.runtime.captureMetrics().accepted();
        fixture.register(name, big, "embedding", Metric.L2, List.of(), null, 0);
        fixture.stop(); // the blocking snapshot of the new table has just begun
        long atStop = fixture.runtime.captureMetrics().accepted() - before;
        assertThat(atStop).as("the stop must land before the snapshot ended").isLessThan(rows);

        fixture.start();
        try (VectorsTopic topic = fixture.vectors()) {
            topic.await(r -> TableState.replay(topic.changes(name)).size() == rows, Duration.ofSeconds(180),
                    rows + " rows of the new table after the restart");
        }
        System.out.printf("stopped after %d of %d snapshot rows; all arrived after the restart%n", atStop, rows);
    }

    @Test
    void shouldDeliverEveryChangeMadeWhileStoppedWhenStartedAgain() throws Exception {
        String table = "rec_" + TestPostgres.unique();
        String name = "r" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(4))",
                "INSERT INTO " + table + " SELECT g, ARRAY[g, g + 0.5, -g, 1]::vector FROM generate_series(1, 100) g");
        fixture = new RuntimeFixture(dataDir).start();
        fixture.register(name, table, "embedding", Metric.L2, List.of(), null, 0);
        try (VectorsTopic topic = fixture.vectors()) {
            topic.await(r -> topic.changes(name).size() >= 100, Duration.ofSeconds(60), "100 snapshot reads");
        }
        fixture.stop();

        TestPostgres.exec("INSERT INTO " + table + " SELECT g, ARRAY[g, 2, 3, 4]::vector FROM generate_series(101, 200) g",
                "UPDATE " + table + " SET embedding = ARRAY[0, 0, 0, id]::vector WHERE id <= 10",
                "DELETE FROM " + table + " WHERE id BETWEEN 11 AND 20");
        var expected = TableState.table(table);

        long restart = System.nanoTime();
        fixture.start();
        try (VectorsTopic topic = fixture.vectors()) {
            topic.await(r -> TableState.replay(topic.changes(name)).equals(expected), Duration.ofSeconds(90),
                    "the topic to hold the table's " + expected.size() + " rows");
            System.out.printf("restart to caught up: %.1f s%n", (System.nanoTime() - restart) / 1e9);
            assertThat(TableState.replay(topic.changes(name))).isEqualTo(expected).hasSize(190);
        }
    }
}
