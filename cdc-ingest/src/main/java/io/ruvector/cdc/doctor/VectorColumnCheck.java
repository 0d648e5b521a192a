package io.ruvector.cdc.doctor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * The vector column of one registered table: a pgvector type, and the TOAST trap.
 *
 * <p>The trap: PostgreSQL moves a large value out of line (TOAST) once the row passes ~2 KB, and
 * pgvector's types default to storage EXTERNAL, so a {@code vector(1536)} (6152 bytes) is always
 * out of line. Logical decoding does not resend an unchanged out-of-line value: with REPLICA
 * IDENTITY DEFAULT an UPDATE that leaves the vector alone arrives without it. RuVector then keeps
 * the stored vector (never wipes it) but cannot verify the change. REPLICA IDENTITY FULL closes it.
 */
final class VectorColumnCheck {

    static final Set<String> VECTOR_TYPES = Set.of("vector", "halfvec", "sparsevec");
    /** TOAST_TUPLE_THRESHOLD with the default 8 KB block: rows above it get values moved out of line. */
    static final int TOAST_THRESHOLD_BYTES = 2032;

    private static final String COLUMN_SQL = """
            SELECT format_type(a.atttypid, a.atttypmod), t.typname, a.attstorage, a.atttypmod,
                   EXISTS (SELECT 1 FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                            WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
                              AND d.deptype = 'e' AND e.extname = 'vector')
              FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
             WHERE a.attrelid = ?::oid AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped""";

    private static final String OTHER_VECTOR_COLUMNS_SQL = """
            SELECT string_agg(a.attname, ', ' ORDER BY a.attnum)
              FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
             WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped
               AND t.typname IN ('vector', 'halfvec', 'sparsevec')""";

    private VectorColumnCheck() {
    }

    static void check(Connection conn, DoctorTarget target, long tableOid, char replicaIdentity,
                      List<DoctorFinding> out) throws SQLException {
        String col = target.displayName() + "." + target.columnName();
        String tSql = target.qualifiedSql();
        String cSql = Sql.ident(target.columnName());
        try (PreparedStatement ps = conn.prepareStatement(COLUMN_SQL)) {
            ps.setLong(1, tableOid);
            ps.setString(2, target.columnName());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    String others = otherVectorColumns(conn, tableOid);
                    out.add(DoctorFinding.error(DoctorCheck.VECTOR_COLUMN, "column " + col + " does not exist"
                            + (others != null ? " (pgvector columns of the table: " + others + ")" : ""),
                            others != null ? "register the table as " + target.displayName() + ":<one of " + others + ">"
                                    : "ALTER TABLE " + tSql + " ADD COLUMN " + cSql + " vector(<dimensions>);"));
                    return;
                }
                String type = rs.getString(1);
                String typname = rs.getString(2);
                if (!VECTOR_TYPES.contains(typname) || !rs.getBoolean(5)) {
                    out.add(DoctorFinding.error(DoctorCheck.VECTOR_COLUMN, "column " + col + " is " + type
                            + ", not a pgvector vector, halfvec or sparsevec",
                            "ALTER TABLE " + tSql + " ALTER COLUMN " + cSql + " TYPE vector(<dimensions>) USING "
                                    + cSql + "::vector(<dimensions>);"));
                    return;
                }
                out.add(DoctorFinding.ok(DoctorCheck.VECTOR_COLUMN, "column " + col + " is " + type));
                checkToast(col, tSql, type, typname, rs.getString(3).charAt(0), rs.getInt(4), replicaIdentity, out);
            }
        }
    }

    private static void checkToast(String col, String tSql, String type, String typname, char storage, int typmod,
                                   char replicaIdentity, List<DoctorFinding> out) {
        if (replicaIdentity == 'f') {
            out.add(DoctorFinding.ok(DoctorCheck.TOAST, col + ": REPLICA IDENTITY FULL, every UPDATE carries the vector"));
            return;
        }
        if (storage == 'p') {
            out.add(DoctorFinding.ok(DoctorCheck.TOAST, col + ": storage PLAIN, the vector is never TOASTed"));
            return;
        }
        int bytes = approximateBytes(typname, typmod);
        String size = bytes < 0 ? type + " (size unknown)"
                : type + " (~" + bytes + " bytes, " + (bytes > TOAST_THRESHOLD_BYTES
                ? "always stored out of line)" : "stored out of line once the row passes ~2 KB)");
        out.add(DoctorFinding.warn(DoctorCheck.TOAST, col + " " + size + " can be TOASTed and the table's REPLICA IDENTITY is "
                        + replicaIdentityName(replicaIdentity) + ": an UPDATE that does not touch the vector arrives without it;"
                        + " RuVector keeps the stored vector, but the change cannot be verified",
                "ALTER TABLE " + tSql + " REPLICA IDENTITY FULL;"));
    }

    /** On-disk size of a full value: vector 4 B/dim, halfvec 2 B/dim, + 8 B header; -1 when unknown. */
    static int approximateBytes(String typname, int typmod) {
        if (typmod <= 0) {
            return -1;
        }
        return switch (typname) {
            case "vector" -> 8 + 4 * typmod;
            case "halfvec" -> 8 + 2 * typmod;
            default -> -1; // sparsevec: depends on the number of non-zeros
        };
    }

    private static String replicaIdentityName(char code) {
        return switch (code) {
            case 'd' -> "DEFAULT";
            case 'i' -> "USING INDEX";
            case 'n' -> "NOTHING";
            default -> String.valueOf(code);
        };
    }

    private static String otherVectorColumns(Connection conn, long tableOid) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(OTHER_VECTOR_COLUMNS_SQL)) {
            ps.setLong(1, tableOid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
