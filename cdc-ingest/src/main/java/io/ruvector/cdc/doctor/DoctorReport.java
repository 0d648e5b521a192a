package io.ruvector.cdc.doctor;

import io.ruvector.cdc.doctor.DoctorFinding.Severity;
import java.util.List;
import java.util.Objects;

/**
 * The doctor's findings, formatted for a terminal: one {@code [OK]/[WARN]/[ERROR] check: message}
 * line per finding and an indented {@code fix:} line under it when there is something to do,
 * then a summary line. {@link #exitCode()} is 0 without ERROR findings, 1 otherwise.
 */
public record DoctorReport(List<DoctorFinding> findings) {

    public static final int EXIT_OK = 0;
    public static final int EXIT_ERRORS = 1;
    static final String FIX_INDENT = "    ";

    public DoctorReport {
        findings = List.copyOf(Objects.requireNonNull(findings, "findings"));
    }

    public long count(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    public boolean hasErrors() {
        return count(Severity.ERROR) > 0;
    }

    /** 0 when no finding is an ERROR, 1 otherwise (WARN alone still exits 0). */
    public int exitCode() {
        return hasErrors() ? EXIT_ERRORS : EXIT_OK;
    }

    /** The findings of one check id, in order. */
    public List<DoctorFinding> findings(String check) {
        return findings.stream().filter(f -> f.check().equals(check)).toList();
    }

    /** The human-readable report, lines separated by {@code \n}, ending with a newline. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (DoctorFinding f : findings) {
            sb.append('[').append(f.severity().name()).append("] ").append(f.check()).append(": ")
                    .append(f.message()).append('\n');
            if (f.fix() != null) {
                String[] lines = f.fix().split("\\R");
                sb.append(FIX_INDENT).append("fix: ").append(lines[0]).append('\n');
                for (int i = 1; i < lines.length; i++) {
                    sb.append(FIX_INDENT).append("     ").append(lines[i]).append('\n');
                }
            }
        }
        sb.append(count(Severity.OK)).append(" ok, ").append(count(Severity.WARN)).append(" warning(s), ")
                .append(count(Severity.ERROR)).append(" error(s)")
                .append(hasErrors() ? ": not ready for RuVector Streams capture" : ": ready for RuVector Streams capture")
                .append('\n');
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
