package io.ruvector.cdc.doctor;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Replication slots on the server: this deployment's slot is usable, no logical slot sits
 * inactive retaining WAL, and no slot has lost (or is about to lose) the WAL it needs.
 */
public final class SlotCheck implements DoctorCheck {

    private static final String SLOTS_SQL = """
            SELECT s.slot_name, s.slot_type, s.plugin, s.database, s.active, s.wal_status,
                   pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                                        ELSE pg_current_wal_lsn() END, s.restart_lsn)::bigint,
                   pg_size_pretty(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
                                                       ELSE pg_current_wal_lsn() END, s.restart_lsn)),
                   current_database()
              FROM pg_replication_slots s
             ORDER BY s.slot_name""";

    @Override
    public String name() {
        return REPLICATION_SLOT;
    }

    @Override
    public List<DoctorFinding> run(DoctorContext ctx) throws SQLException {
        List<DoctorFinding> out = new ArrayList<>();
        boolean ourSlotFound = false;
        String currentDb = null;
        try (PreparedStatement ps = ctx.connection().prepareStatement(SLOTS_SQL);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Slot slot = new Slot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5), rs.getString(6), rs.getObject(7) == null ? -1 : rs.getLong(7),
                        rs.getString(8) == null ? "unknown" : rs.getString(8));
                currentDb = rs.getString(9);
                boolean ours = slot.name().equals(ctx.slot());
                ourSlotFound |= ours;
                check(slot, ours, currentDb, out);
            }
        }
        if (ctx.slot() != null && !ourSlotFound) {
            out.add(DoctorFinding.ok(REPLICATION_SLOT, "slot " + ctx.slot()
                    + " does not exist yet; the capture creates it on first start"));
        }
        return out;
    }

    record Slot(String name, String type, String plugin, String database, boolean active, String walStatus,
                long retainedBytes, String retainedPretty) { }

    private static void check(Slot s, boolean ours, String currentDb, List<DoctorFinding> out) {
        String drop = "SELECT pg_drop_replication_slot(" + Sql.literal(s.name()) + ");";
        String where = "slot " + s.name() + " (" + s.type() + (s.plugin() != null ? ", " + s.plugin() : "")
                + (s.database() != null ? ", database " + s.database() : "") + ")";
        if (ours) {
            if (!"logical".equals(s.type()) || !"pgoutput".equals(s.plugin()) || !currentDb.equals(s.database())) {
                out.add(DoctorFinding.error(REPLICATION_SLOT, where + " is this deployment's slot but is not a pgoutput"
                        + " logical slot of database " + currentDb + "; the capture cannot use it",
                        drop + "  -- if nothing else uses it; or choose another --slot name"));
                return;
            }
        }
        if ("lost".equals(s.walStatus())) {
            out.add(DoctorFinding.error(REPLICATION_SLOT, where + " has wal_status lost: the WAL it needs was removed"
                    + " (max_slot_wal_keep_size exceeded); it can never be read again",
                    drop + "  -- then restart the capture so it re-snapshots into a new slot"));
            return;
        }
        if ("unreserved".equals(s.walStatus())) {
            out.add(DoctorFinding.error(REPLICATION_SLOT, where + " has wal_status unreserved: it retains "
                    + s.retainedPretty() + " and its WAL is removed at the next checkpoint",
                    (ours ? "start the capture now, or " : drop + "  -- if abandoned; or ")
                            + "ALTER SYSTEM SET max_slot_wal_keep_size = '<larger>'; SELECT pg_reload_conf();"));
            return;
        }
        if (!s.active() && "logical".equals(s.type())) {
            String retained = s.retainedBytes() < 0 ? "unknown"
                    : s.retainedPretty().endsWith("bytes") ? s.retainedPretty()
                    : s.retainedPretty() + " (" + s.retainedBytes() + " bytes)";
            out.add(DoctorFinding.warn(REPLICATION_SLOT, where + " is inactive and retains " + retained + " of WAL"
                    + (ours ? "; this is the deployment's own slot: fine while the capture is briefly stopped" : ""),
                    ours ? "start the capture; if this deployment is uninstalled: " + drop : drop));
            return;
        }
        String state = where + " is " + (s.active() ? "active" : "inactive") + ", retains " + s.retainedPretty()
                + " of WAL (wal_status " + s.walStatus() + ")";
        if ("extended".equals(s.walStatus())) {
            out.add(DoctorFinding.warn(REPLICATION_SLOT, state + ": its consumer lags beyond max_wal_size",
                    ours ? "check the capture's lag and errors" : "check this slot's consumer; if abandoned: " + drop));
        } else {
            out.add(DoctorFinding.ok(REPLICATION_SLOT, state));
        }
    }
}
