package io.ruvector.cdc.doctor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Per registered table: it exists, the role may read it and get it into a publication, it has a
 * primary key, the vector column is a pgvector type, and the TOAST trap is closed.
 */
public final class TableCheck implements DoctorCheck {

    private static final String TABLE_SQL = """
            SELECT c.oid, c.relkind, c.relreplident, pg_get_userbyid(c.relowner), pg_has_role(c.relowner, 'USAGE'),
                   has_table_privilege(c.oid, 'SELECT'),
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary),
                   (SELECT string_agg(p.pubname, ', ' ORDER BY p.pubname) FROM pg_publication_tables p
                     WHERE p.schemaname = n.nspname AND p.tablename = c.relname),
                   (SELECT count(*) > 0 FROM pg_publication_tables p
                     WHERE p.pubname = ? AND p.schemaname = n.nspname AND p.tablename = c.relname)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ?""";

    @Override
    public String name() {
        return TABLE;
    }

    @Override
    public List<DoctorFinding> run(DoctorContext ctx) throws SQLException {
        List<DoctorFinding> out = new ArrayList<>();
        String role = currentUser(ctx.connection());
        for (DoctorTarget target : ctx.targets()) {
            try {
                checkTarget(ctx, target, role, out);
            } catch (SQLException e) {
                out.add(DoctorFinding.error(TABLE, target.displayName() + ": check failed: " + e.getMessage(), null));
            }
        }
        return out;
    }

    private static void checkTarget(DoctorContext ctx, DoctorTarget target, String role, List<DoctorFinding> out)
            throws SQLException {
        Connection conn = ctx.connection();
        String t = target.displayName();
        String tSql = target.qualifiedSql();
        try (PreparedStatement ps = conn.prepareStatement(TABLE_SQL)) {
            ps.setString(1, ctx.publication() == null ? "" : ctx.publication());
            ps.setString(2, target.schemaName());
            ps.setString(3, target.tableName());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    out.add(DoctorFinding.error(TABLE, "table " + t + " does not exist (or role " + role + " cannot see it)",
                            "create the table, or correct --table (schema.table:vector_column)"));
                    return;
                }
                String relkind = rs.getString(2);
                if (!"r".equals(relkind) && !"p".equals(relkind)) {
                    out.add(DoctorFinding.error(TABLE, t + " is not a table (relkind '" + relkind
                            + "'); only tables can be published", "register the underlying table instead"));
                    return;
                }
                out.add(DoctorFinding.ok(TABLE, "table " + t + " exists (owner " + rs.getString(4) + ")"));
                TableInfo info = new TableInfo(rs.getLong(1), rs.getString(3).charAt(0), rs.getString(4),
                        rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7), rs.getString(8), rs.getBoolean(9));
                checkAccess(ctx, target, role, info, out);
                checkPrimaryKey(t, tSql, info, out);
                VectorColumnCheck.check(conn, target, info.oid(), info.replicaIdentity(), out);
            }
        }
    }

    record TableInfo(long oid, char replicaIdentity, String owner, boolean owned, boolean canSelect,
                     boolean hasPrimaryKey, String publications, boolean inOurPublication) { }

    private static void checkAccess(DoctorContext ctx, DoctorTarget target, String role, TableInfo info,
                                    List<DoctorFinding> out) {
        String t = target.displayName();
        String tSql = target.qualifiedSql();
        if (!info.canSelect()) {
            out.add(DoctorFinding.error(TABLE_ACCESS, "role " + role + " cannot SELECT " + t + " (the initial snapshot reads it)",
                    "GRANT SELECT ON " + tSql + " TO " + Sql.ident(role) + ";  -- as " + info.owner()));
        }
        String pub = ctx.publication();
        if (info.owned()) {
            out.add(DoctorFinding.ok(TABLE_ACCESS, "role " + role + " owns " + t + " (can add it to a publication)"));
        } else if (pub != null ? info.inOurPublication() : info.publications() != null) {
            out.add(DoctorFinding.ok(TABLE_ACCESS, t + " is already in publication "
                    + (pub != null ? pub : info.publications())));
        } else {
            String pubSql = Sql.ident(pub != null ? pub : "ruvector");
            out.add(DoctorFinding.error(TABLE_ACCESS, "role " + role + " does not own " + t + " (owner " + info.owner()
                    + ") and no publication" + (pub != null ? " " + pub : "") + " includes it; only the owner can publish it",
                    "ALTER TABLE " + tSql + " OWNER TO " + Sql.ident(role) + ";  -- or, as " + info.owner()
                            + ": CREATE PUBLICATION " + pubSql + " FOR TABLE " + tSql
                            + ";  (ALTER PUBLICATION " + pubSql + " ADD TABLE " + tSql + "; if it exists)"));
        }
    }

    private static void checkPrimaryKey(String t, String tSql, TableInfo info, List<DoctorFinding> out) {
        if (info.replicaIdentity() == 'n') {
            out.add(DoctorFinding.error(PRIMARY_KEY, t + " has REPLICA IDENTITY NOTHING: UPDATE and DELETE fail once it is published",
                    "ALTER TABLE " + tSql + " REPLICA IDENTITY FULL;"));
        }
        if (info.hasPrimaryKey()) {
            out.add(DoctorFinding.ok(PRIMARY_KEY, t + " has a primary key"));
        } else {
            out.add(DoctorFinding.error(PRIMARY_KEY, t + " has no primary key: RuVector keys vectors by it, and"
                    + " UPDATE/DELETE on a published table without one fail",
                    "ALTER TABLE " + tSql + " ADD PRIMARY KEY (<id column>);"));
        }
    }

    private static String currentUser(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT current_user");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
