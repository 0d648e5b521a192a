package io.ruvector.cdc.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.cdc.doctor.DoctorFinding.Severity;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PgDoctor} against the real local PostgreSQL 15 + pgvector (and a throwaway cluster). */
class PgDoctorIT {

    private final String suffix = Long.toHexString(System.nanoTime()) + ThreadLocalRandom.current().nextInt(1000);
    private final List<String> cleanup = new ArrayList<>(); // SQL run as the test role, last first
    private final List<String> adminCleanup = new ArrayList<>(); // SQL run as superuser, last first
    private Connection conn;

    @BeforeEach
    void connect() throws SQLException {
        conn = LocalPostgres.connect(LocalPostgres.settings());
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String sql : cleanup.reversed()) {
            try (Statement st = conn.createStatement()) {
                st.execute(sql);
            }
        }
        conn.close();
        for (String sql : adminCleanup.reversed()) {
            LocalPostgres.adminSql(sql);
        }
    }

    @Test
    void shouldWarnAboutToastTrapWithFixWhenVectorTableHasDefaultReplicaIdentity() throws SQLException {
        String table = createTable("id bigint PRIMARY KEY, title text, embedding vector(1536)");

        DoctorReport report = examine(table + ":embedding");

        DoctorFinding toast = only(report, DoctorCheck.TOAST, table);
        assertThat(toast.severity()).isEqualTo(Severity.WARN);
        assertThat(toast.message()).contains("vector(1536)", "DEFAULT", "arrives without it");
        assertThat(toast.fix()).isEqualTo("ALTER TABLE " + table + " REPLICA IDENTITY FULL;");
        assertThat(only(report, DoctorCheck.PRIMARY_KEY, table).severity()).isEqualTo(Severity.OK);
        assertThat(only(report, DoctorCheck.VECTOR_COLUMN, table).severity()).isEqualTo(Severity.OK);
        assertThat(only(report, DoctorCheck.TABLE_ACCESS, table).severity()).isEqualTo(Severity.OK);
    }

    @Test
    void shouldReportToastOkWhenTheSuggestedReplicaIdentityFullIsApplied() throws SQLException {
        String table = createTable("id bigint PRIMARY KEY, embedding vector(1536)");
        String fix = only(examine(table + ":embedding"), DoctorCheck.TOAST, table).fix();

        execute(fix); // the printed fix, verbatim

        DoctorFinding toast = only(examine(table + ":embedding"), DoctorCheck.TOAST, table);
        assertThat(toast.severity()).isEqualTo(Severity.OK);
        assertThat(toast.message()).contains("REPLICA IDENTITY FULL");
    }

    @Test
    void shouldReportErrorWhenTableHasNoPrimaryKey() throws SQLException {
        String table = createTable("id bigint, embedding vector(3)");

        DoctorReport report = examine(table + ":embedding");

        DoctorFinding pk = only(report, DoctorCheck.PRIMARY_KEY, table);
        assertThat(pk.severity()).isEqualTo(Severity.ERROR);
        assertThat(pk.fix()).startsWith("ALTER TABLE " + table + " ADD PRIMARY KEY");
        assertThat(report.exitCode()).isEqualTo(1);
    }

    @Test
    void shouldReportErrorWhenTableDoesNotExist() throws SQLException {
        String table = "public.rv_doc_missing_" + suffix;

        DoctorReport report = examine(table + ":embedding");

        DoctorFinding missing = only(report, DoctorCheck.TABLE, table);
        assertThat(missing.severity()).isEqualTo(Severity.ERROR);
        assertThat(missing.message()).contains("does not exist");
        assertThat(report.findings(DoctorCheck.PRIMARY_KEY)).isEmpty();
        assertThat(report.exitCode()).isEqualTo(1);
    }

    @Test
    void shouldReportErrorWhenColumnIsNotAPgvectorType() throws SQLException {
        String table = createTable("id bigint PRIMARY KEY, embedding real[], other halfvec(8)");

        DoctorReport wrongType = examine(table + ":embedding");
        DoctorReport missing = examine(table + ":nope");

        assertThat(only(wrongType, DoctorCheck.VECTOR_COLUMN, table).severity()).isEqualTo(Severity.ERROR);
        assertThat(only(wrongType, DoctorCheck.VECTOR_COLUMN, table).message()).contains("real[]");
        assertThat(only(missing, DoctorCheck.VECTOR_COLUMN, table).message()).contains("does not exist", "other");
    }

    @Test
    void shouldWarnNamingSlotWithRetainedWalWhenLogicalSlotIsInactive() throws SQLException {
        String slot = "rv_doc_slot_" + suffix;
        execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        cleanup.add("SELECT pg_drop_replication_slot('" + slot + "')");
        execute("CREATE TABLE public.rv_doc_wal_" + suffix + " AS SELECT g FROM generate_series(1, 10000) g");
        cleanup.add("DROP TABLE public.rv_doc_wal_" + suffix);

        DoctorReport report = examine();

        DoctorFinding finding = only(report, DoctorCheck.REPLICATION_SLOT, "slot " + slot + " ");
        assertThat(finding.severity()).isEqualTo(Severity.WARN);
        assertThat(finding.message()).contains("inactive", "retains", "bytes", "pgoutput");
        assertThat(finding.fix()).isEqualTo("SELECT pg_drop_replication_slot('" + slot + "');");
    }

    @Test
    void shouldReportErrorsWithFixesWhenRoleLacksReplicationAndDoesNotOwnTable() throws Exception {
        String reason = LocalPostgres.adminUnavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        String table = createTable("id bigint PRIMARY KEY, embedding vector(3)");
        String role = "rv_doc_role_" + suffix;
        LocalPostgres.adminSql("CREATE ROLE " + role + " LOGIN PASSWORD 'pw'");
        adminCleanup.add("DROP ROLE " + role);
        String pub = "rv_doc_pub_" + suffix; // does not exist: only it counts, not other tests' publications
        var s = LocalPostgres.settings();

        DoctorReport report;
        try (Connection other = LocalPostgres.connect(s.host(), s.port(), s.database(), role, "pw")) {
            report = PgDoctor.examine(other, List.of(DoctorTarget.parse(table + ":embedding")), pub, null);
        }

        DoctorFinding replication = report.findings(DoctorCheck.REPLICATION_ROLE).getFirst();
        assertThat(replication.severity()).isEqualTo(Severity.ERROR);
        assertThat(replication.fix()).startsWith("ALTER ROLE " + role + " REPLICATION;");
        DoctorFinding access = report.findings(DoctorCheck.TABLE_ACCESS).stream()
                .filter(f -> f.message().contains("does not own")).findFirst().orElseThrow();
        assertThat(access.severity()).isEqualTo(Severity.ERROR);
        assertThat(access.fix()).contains("ALTER TABLE " + table + " OWNER TO " + role + ";",
                "CREATE PUBLICATION " + pub + " FOR TABLE " + table + ";");
        assertThat(report.findings(DoctorCheck.TABLE_ACCESS)).anySatisfy(f ->
                assertThat(f.fix()).isEqualTo("GRANT SELECT ON " + table + " TO " + role + ";  -- as " + s.user()));
    }

    @Test
    void shouldAcceptForeignTableWhenAPublicationAlreadyIncludesIt() throws Exception {
        String reason = LocalPostgres.adminUnavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        String table = createTable("id bigint PRIMARY KEY, embedding vector(3)");
        String pub = "rv_doc_pub_" + suffix;
        execute("CREATE PUBLICATION " + pub + " FOR TABLE " + table);
        cleanup.add("DROP PUBLICATION " + pub);
        String role = "rv_doc_role_" + suffix;
        LocalPostgres.adminSql("CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD 'pw'");
        adminCleanup.add("DROP ROLE " + role);
        execute("GRANT SELECT ON " + table + " TO " + role);
        cleanup.add("REVOKE SELECT ON " + table + " FROM " + role);
        var s = LocalPostgres.settings();

        DoctorReport report;
        try (Connection other = LocalPostgres.connect(s.host(), s.port(), s.database(), role, "pw")) {
            report = PgDoctor.examine(other, List.of(DoctorTarget.parse(table + ":embedding")), pub, null);
        }

        assertThat(report.findings(DoctorCheck.TABLE_ACCESS)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.OK);
            assertThat(f.message()).contains("already in publication " + pub);
        });
        assertThat(report.findings(DoctorCheck.REPLICATION_ROLE).getFirst().severity()).isEqualTo(Severity.OK);
    }

    @Test
    void shouldReportErrorWhenPublicationSkipsUpdatesAndWarnWhenItMissesATable() throws SQLException {
        String table = createTable("id bigint PRIMARY KEY, embedding vector(3)");
        String pub = "rv_doc_pub_" + suffix;
        execute("CREATE PUBLICATION " + pub + " WITH (publish = 'insert')");
        cleanup.add("DROP PUBLICATION " + pub);

        DoctorReport report = PgDoctor.examine(conn, List.of(DoctorTarget.parse(table + ":embedding")), pub, null);

        assertThat(report.findings(DoctorCheck.PUBLICATION)).extracting(DoctorFinding::severity)
                .containsExactly(Severity.ERROR, Severity.WARN);
        assertThat(report.findings(DoctorCheck.PUBLICATION).get(1).fix())
                .startsWith("ALTER PUBLICATION " + pub + " ADD TABLE " + table + ";");
    }

    @Test
    void shouldPassServerChecksWhenServerIsProvisionedForRuVector() {
        DoctorReport report = examine();

        for (String check : List.of(DoctorCheck.SERVER_VERSION, DoctorCheck.WAL_LEVEL, DoctorCheck.REPLICATION_ROLE,
                DoctorCheck.PGVECTOR, DoctorCheck.MAX_REPLICATION_SLOTS, DoctorCheck.MAX_WAL_SENDERS)) {
            assertThat(report.findings(check)).as(check).isNotEmpty()
                    .allSatisfy(f -> assertThat(f.severity()).as(f.toString()).isEqualTo(Severity.OK));
        }
        assertThat(report.findings(DoctorCheck.PGVECTOR).getFirst().message()).contains("pgvector 0.");
    }

    @Test
    void shouldReportWalLevelErrorWithFixWhenClusterRunsWalLevelReplica() throws Exception {
        String reason = LocalPostgres.ThrowawayCluster.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "no throwaway cluster: " + reason);

        DoctorReport report;
        try (var cluster = LocalPostgres.ThrowawayCluster.start("wal_level=replica", "max_slot_wal_keep_size=-1");
             Connection c = cluster.connect()) {
            report = PgDoctor.examine(c, List.of(), null, null);
        }

        DoctorFinding wal = report.findings(DoctorCheck.WAL_LEVEL).getFirst();
        assertThat(wal.severity()).isEqualTo(Severity.ERROR);
        assertThat(wal.message()).contains("replica");
        assertThat(wal.fix()).startsWith("ALTER SYSTEM SET wal_level = logical;").contains("restart");
        DoctorFinding keep = report.findings(DoctorCheck.MAX_SLOT_WAL_KEEP_SIZE).getFirst();
        assertThat(keep.severity()).isEqualTo(Severity.WARN);
        assertThat(keep.fix()).isEqualTo("ALTER SYSTEM SET max_slot_wal_keep_size = '4GB'; SELECT pg_reload_conf();");
        DoctorFinding vector = report.findings(DoctorCheck.PGVECTOR).getFirst();
        assertThat(vector.severity()).isEqualTo(Severity.ERROR);
        assertThat(vector.fix()).startsWith("CREATE EXTENSION vector;");
        assertThat(report.findings(DoctorCheck.REPLICATION_ROLE).getFirst().severity()).isEqualTo(Severity.OK);
        assertThat(report.exitCode()).isEqualTo(1);
    }

    private String createTable(String columns) throws SQLException {
        String table = "public.rv_doc_" + suffix;
        execute("CREATE TABLE " + table + " (" + columns + ")");
        cleanup.add("DROP TABLE IF EXISTS " + table);
        return table;
    }

    private DoctorReport examine(String... targets) {
        List<DoctorTarget> list = new ArrayList<>();
        for (String t : targets) {
            list.add(DoctorTarget.parse(t));
        }
        return PgDoctor.examine(conn, list, null, null);
    }

    /** The single finding of {@code check} whose message mentions {@code subject}. */
    private static DoctorFinding only(DoctorReport report, String check, String subject) {
        List<DoctorFinding> matching = report.findings(check).stream()
                .filter(f -> f.message().contains(subject)).toList();
        assertThat(matching).as("%s findings about %s in%n%s", check, subject, report.format()).hasSize(1);
        return matching.getFirst();
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }
}
