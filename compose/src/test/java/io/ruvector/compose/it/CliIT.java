package io.ruvector.compose.it;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line against a running runtime, the real PostgreSQL and the in-process broker. */
class CliIT extends SharedRuntime {

    static String pgUrl = System.getenv().getOrDefault("RUVECTOR_TEST_PG_URL", "postgresql://ruvector:ruvector@127.0.0.1:5432/ruvector");

    @Test
    void shouldCaptureATableRegisteredFromTheCommandLineAndTailItAsJson() throws Exception {
        String table = "cli_" + TestPostgres.unique();
        String name = "cli" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(2), tag text)",
                "INSERT INTO " + table + " VALUES (1, '[0.5,-2]', 'x')");
        CliRun register = run("register", "--kafka", fixture.runtime.bootstrapServers(), "--pg", pgUrl, "--name", name,
                "--table", table, "--id", "id", "--vector", "embedding", "--metric", "cosine", "--metadata", "tag");
        assertThat(register.code()).as(register.err()).isZero();
        assertThat(register.out()).contains("registered " + name).contains("vector(2)").contains("COSINE");
        try (VectorsTopic topic = fixture.vectors()) {
            topic.await(r -> !topic.changes(name).isEmpty(), Duration.ofSeconds(60), "the change of a CLI-registered table");
        }
        CliRun tail = run("tail", "vectors", "--kafka", fixture.runtime.bootstrapServers(), "--from-beginning", "--until-end",
                "--no-watermarks");
        assertThat(tail.code()).isZero();
        assertThat(tail.out().lines().filter(l -> l.contains("\"collection\":\"" + name + "\"")).toList())
                .singleElement().asString()
                .contains("\"type\":\"change\"", "\"id\":\"1\"", "\"op\":\"UPSERT\"", "\"vector\":[0.5,-2.0]", "\"tag\":\"x\"")
                .doesNotContain("\"type\":\"watermark\"");
    }

    @Test
    void shouldNameTheMissingColumnWhenRegisteringABadTable() throws Exception {
        String table = "clibad_" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, body text)");
        CliRun register = run("register", "--kafka", fixture.runtime.bootstrapServers(), "--pg", pgUrl, "--name", "bad",
                "--table", table, "--id", "id", "--vector", "embedding");
        assertThat(register.code()).isEqualTo(2);
        assertThat(register.err()).contains("column public." + table + ".embedding does not exist");
        CliRun metric = run("register", "--kafka", fixture.runtime.bootstrapServers(), "--pg", pgUrl, "--name", "bad",
                "--table", table, "--id", "id", "--vector", "body", "--metric", "hamming");
        assertThat(metric.code()).isEqualTo(2);
        assertThat(metric.err()).contains("unknown metric 'hamming'");
    }

    @Test
    void shouldReportTheToastTrapWithItsFixWhenDoctorChecksATable() throws Exception {
        String table = "clitoast_" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(1536))");
        CliRun doctor = run("doctor", "--pg", pgUrl, "--table", "public." + table + ":embedding");
        assertThat(doctor.out()).contains("[WARN]").contains("ALTER TABLE public." + table + " REPLICA IDENTITY FULL;");
        TestPostgres.exec("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
        CliRun again = run("doctor", "--pg", pgUrl, "--table", "public." + table + ":embedding");
        assertThat(again.out()).doesNotContain("ALTER TABLE public." + table + " REPLICA IDENTITY FULL;");
    }

    @Test
    void shouldDropTheSlotAndPublicationOfAStoppedDeploymentWhenUninstalling() throws Exception {
        String deployment = "un_" + TestPostgres.unique();
        TestPostgres.exec("SELECT pg_create_logical_replication_slot('ruvector_" + deployment + "', 'pgoutput')",
                "CREATE PUBLICATION ruvector_" + deployment);
        CliRun uninstall = run("uninstall", "--pg", pgUrl, "--deployment", deployment);
        assertThat(uninstall.code()).as(uninstall.err()).isZero();
        assertThat(TestPostgres.query("SELECT 1 FROM pg_replication_slots WHERE slot_name = 'ruvector_" + deployment + "'")).isEmpty();
        assertThat(TestPostgres.query("SELECT 1 FROM pg_publication WHERE pubname = 'ruvector_" + deployment + "'")).isEmpty();
        String table = "cliun_" + TestPostgres.unique();
        TestPostgres.exec("CREATE TABLE " + table + " (id int PRIMARY KEY, embedding vector(2))");
        fixture.register("u" + TestPostgres.unique(), table, "embedding", io.ruvector.schemas.Metric.L2, java.util.List.of(), null, 0);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (TestPostgres.query("SELECT 1 FROM pg_replication_slots WHERE active AND slot_name = 'ruvector_"
                + fixture.deployment + "'").isEmpty()) {
            assertThat(System.nanoTime()).as("the runtime's slot becomes active").isLessThan(deadline);
            Thread.sleep(50);
        }
        CliRun busy = run("uninstall", "--pg", pgUrl, "--deployment", fixture.deployment);
        assertThat(busy.code()).isEqualTo(2);
        assertThat(busy.err()).contains("is in use");
    }

    @Test
    void shouldNameTheUnreachablePostgresWhenTheRuntimeCannotStart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        CliRun run = run("run", "--pg", "postgresql://ruvector:ruvector@127.0.0.1:1/ruvector", "--data-dir", dir.toString(),
                "--kafka-port", "0", "--controller-port", "0", "--http-port", "0");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("cannot connect to PostgreSQL at 127.0.0.1:1");
    }

    @Test
    void shouldNameTheShadowOptionOutOfRange(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        CliRun run = run("run", "--shadow-postgres-share", "2", "--data-dir", dir.toString(), "--kafka-port", "0",
                "--controller-port", "0", "--http-port", "0");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--shadow-postgres-share", "must be in (0, 1], was 2.0");
    }

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }
}
