package io.ruvector.cdc.doctor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * This deployment's publication (only when its name is given): it publishes INSERT, UPDATE and
 * DELETE and includes every registered table; or, if it does not exist yet, the role may create it.
 */
public final class PublicationCheck implements DoctorCheck {

    @Override
    public String name() {
        return PUBLICATION;
    }

    @Override
    public List<DoctorFinding> run(DoctorContext ctx) throws SQLException {
        if (ctx.publication() == null) {
            return List.of();
        }
        Connection conn = ctx.connection();
        String pub = ctx.publication();
        String pubSql = Sql.ident(pub);
        List<DoctorFinding> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT puballtables, pubinsert, pubupdate, pubdelete,"
                + " pg_get_userbyid(pubowner) FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, pub);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    checkCanCreate(conn, pub, out);
                    return out;
                }
                boolean allTables = rs.getBoolean(1);
                if (!rs.getBoolean(2) || !rs.getBoolean(3) || !rs.getBoolean(4)) {
                    out.add(DoctorFinding.error(PUBLICATION, "publication " + pub
                                    + " does not publish all of INSERT, UPDATE and DELETE; RuVector would miss changes",
                            "ALTER PUBLICATION " + pubSql + " SET (publish = 'insert, update, delete, truncate');"));
                } else {
                    out.add(DoctorFinding.ok(PUBLICATION, "publication " + pub + " exists (owner " + rs.getString(5) + ")"
                            + (allTables ? ", FOR ALL TABLES" : "")));
                }
                if (!allTables) {
                    checkMembers(conn, ctx, pubSql, out);
                }
            }
        }
        return out;
    }

    private static void checkMembers(Connection conn, DoctorContext ctx, String pubSql, List<DoctorFinding> out)
            throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM pg_publication_tables"
                + " WHERE pubname = ? AND schemaname = ? AND tablename = ?")) {
            for (DoctorTarget target : ctx.targets()) {
                ps.setString(1, ctx.publication());
                ps.setString(2, target.schemaName());
                ps.setString(3, target.tableName());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        out.add(DoctorFinding.warn(PUBLICATION, "publication " + ctx.publication() + " does not include "
                                        + target.displayName() + "; its changes are not captured until it is added",
                                "ALTER PUBLICATION " + pubSql + " ADD TABLE " + target.qualifiedSql()
                                        + ";  -- as the table owner"));
                    }
                }
            }
        }
    }

    private static void checkCanCreate(Connection conn, String pub, List<DoctorFinding> out) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT current_user, current_database(),"
                + " has_database_privilege(current_database(), 'CREATE')");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getBoolean(3)) {
                out.add(DoctorFinding.ok(PUBLICATION, "publication " + pub
                        + " does not exist yet; the capture creates it for the registered tables"));
            } else {
                out.add(DoctorFinding.error(PUBLICATION, "publication " + pub + " does not exist and role " + rs.getString(1)
                                + " lacks CREATE on database " + rs.getString(2) + ", so the capture cannot create it",
                        "GRANT CREATE ON DATABASE " + Sql.ident(rs.getString(2)) + " TO " + Sql.ident(rs.getString(1))
                                + ";  -- or create the publication as the table owner"));
            }
        }
    }
}
