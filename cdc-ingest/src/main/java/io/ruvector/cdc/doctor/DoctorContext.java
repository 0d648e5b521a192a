package io.ruvector.cdc.doctor;

import java.sql.Connection;
import java.util.List;
import java.util.Objects;

/**
 * What the checks look at: an open connection (as the role the capture will use) and the
 * deployment's registered tables, publication and slot.
 *
 * @param publication the deployment's publication name, or {@code null} if not known
 * @param slot        the deployment's replication slot name, or {@code null} if not known
 */
public record DoctorContext(Connection connection, List<DoctorTarget> targets, String publication, String slot) {

    public DoctorContext {
        Objects.requireNonNull(connection, "connection");
        targets = targets == null ? List.of() : List.copyOf(targets);
        publication = blankToNull(publication);
        slot = blankToNull(slot);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
