package io.ruvector.cdc.doctor;

import java.util.Objects;

/**
 * One result of one doctor check.
 *
 * @param check    stable id of the check, e.g. {@code wal_level} or {@code toast} (see {@link DoctorCheck})
 * @param severity {@link Severity#OK}, {@link Severity#WARN} or {@link Severity#ERROR}
 * @param message  what was found, naming the table, column, slot or setting
 * @param fix      the exact SQL or setting that fixes it; {@code null} when there is nothing to do
 */
public record DoctorFinding(String check, Severity severity, String message, String fix) {

    /** How bad a finding is. Only {@link #ERROR} makes {@code doctor} exit non-zero. */
    public enum Severity { OK, WARN, ERROR }

    public DoctorFinding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        if (fix != null && fix.isBlank()) {
            fix = null;
        }
    }

    public static DoctorFinding ok(String check, String message) {
        return new DoctorFinding(check, Severity.OK, message, null);
    }

    public static DoctorFinding warn(String check, String message, String fix) {
        return new DoctorFinding(check, Severity.WARN, message, fix);
    }

    public static DoctorFinding error(String check, String message, String fix) {
        return new DoctorFinding(check, Severity.ERROR, message, fix);
    }
}
