package io.ruvector.cdc.doctor;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** The connecting role may open a replication connection: REPLICATION attribute or superuser. */
public final class RoleCheck implements DoctorCheck {

    @Override
    public String name() {
        return REPLICATION_ROLE;
    }

    @Override
    public List<DoctorFinding> run(DoctorContext ctx) throws SQLException {
        try (PreparedStatement ps = ctx.connection().prepareStatement(
                "SELECT rolname, rolsuper, rolreplication FROM pg_roles WHERE rolname = current_user");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return List.of(DoctorFinding.error(REPLICATION_ROLE, "current_user is not in pg_roles", null));
            }
            String role = rs.getString(1);
            if (rs.getBoolean(2)) {
                return List.of(DoctorFinding.ok(REPLICATION_ROLE, "role " + role
                        + " is a superuser (works, but a dedicated role with REPLICATION is safer)"));
            }
            if (rs.getBoolean(3)) {
                return List.of(DoctorFinding.ok(REPLICATION_ROLE, "role " + role + " has REPLICATION"));
            }
            return List.of(DoctorFinding.error(REPLICATION_ROLE, "role " + role
                    + " has neither REPLICATION nor superuser; it cannot open a replication connection or create a slot",
                    "ALTER ROLE " + Sql.ident(role) + " REPLICATION;  -- as a superuser"));
        }
    }
}
