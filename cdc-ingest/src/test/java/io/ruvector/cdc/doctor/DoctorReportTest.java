package io.ruvector.cdc.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DoctorReportTest {

    @Test
    void shouldPrintOneLinePerFindingAndIndentedFixWhenFormatted() {
        DoctorReport report = new DoctorReport(List.of(
                DoctorFinding.ok("wal_level", "wal_level is logical"),
                DoctorFinding.warn("toast", "public.items.embedding can be TOASTed",
                        "ALTER TABLE public.items REPLICA IDENTITY FULL;"),
                DoctorFinding.error("primary_key", "public.docs has no primary key",
                        "ALTER TABLE public.docs ADD PRIMARY KEY (<id column>);")));

        assertThat(report.format()).isEqualTo("""
                [OK] wal_level: wal_level is logical
                [WARN] toast: public.items.embedding can be TOASTed
                    fix: ALTER TABLE public.items REPLICA IDENTITY FULL;
                [ERROR] primary_key: public.docs has no primary key
                    fix: ALTER TABLE public.docs ADD PRIMARY KEY (<id column>);
                1 ok, 1 warning(s), 1 error(s): not ready for RuVector Streams capture
                """);
    }

    @Test
    void shouldIndentEveryLineWhenFixHasSeveralLines() {
        DoctorReport report = new DoctorReport(List.of(
                DoctorFinding.error("wal_level", "wal_level is replica", "ALTER SYSTEM SET wal_level = logical;\nrestart")));

        assertThat(report.format().lines().toList()).containsSubsequence(
                "[ERROR] wal_level: wal_level is replica",
                "    fix: ALTER SYSTEM SET wal_level = logical;",
                "         restart");
    }

    @Test
    void shouldExitZeroWhenOnlyOkAndWarn() {
        DoctorReport report = new DoctorReport(List.of(
                DoctorFinding.ok("a", "fine"), DoctorFinding.warn("b", "hmm", "do x")));

        assertThat(report.exitCode()).isZero();
        assertThat(report.hasErrors()).isFalse();
        assertThat(report.format()).endsWith(": ready for RuVector Streams capture\n");
    }

    @Test
    void shouldExitOneWhenAnyError() {
        DoctorReport report = new DoctorReport(List.of(
                DoctorFinding.ok("a", "fine"), DoctorFinding.error("b", "broken", null)));

        assertThat(report.exitCode()).isEqualTo(1);
        assertThat(report.count(DoctorFinding.Severity.ERROR)).isEqualTo(1);
    }

    @Test
    void shouldOmitFixLineWhenFixIsBlank() {
        DoctorReport report = new DoctorReport(List.of(DoctorFinding.warn("a", "note", "  ")));

        assertThat(report.format()).doesNotContain("fix:");
        assertThat(report.findings().getFirst().fix()).isNull();
    }

    @Test
    void shouldSelectFindingsByCheckWhenAsked() {
        DoctorReport report = new DoctorReport(List.of(
                DoctorFinding.ok("slot", "s1"), DoctorFinding.ok("table", "t"), DoctorFinding.warn("slot", "s2", "x")));

        assertThat(report.findings("slot")).extracting(DoctorFinding::message).containsExactly("s1", "s2");
    }

    @Test
    void shouldReportReadyWhenNoFindings() {
        DoctorReport report = new DoctorReport(List.of());

        assertThat(report.exitCode()).isZero();
        assertThat(report.format()).isEqualTo("0 ok, 0 warning(s), 0 error(s): ready for RuVector Streams capture\n");
    }
}
