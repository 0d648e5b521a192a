package io.ruvector.cdc.doctor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-wide settings logical replication depends on: version, standby or primary,
 * {@code wal_level}, slot and WAL-sender capacity, and {@code max_slot_wal_keep_size}.
 */
public final class ServerCheck implements DoctorCheck {

    static final int MIN_VERSION_NUM = 130_000;
    private static final String RESTART = "  -- as a superuser, then restart PostgreSQL";

    @Override
    public String name() {
        return SERVER_VERSION;
    }

    @Override
    public List<DoctorFinding> run(DoctorContext ctx) throws SQLException {
        Connection conn = ctx.connection();
        Map<String, String[]> s = settings(conn);
        List<DoctorFinding> out = new ArrayList<>();
        int versionNum = Integer.parseInt(value(s, "server_version_num", "0"));
        String version = display(s, "server_version");
        if (versionNum >= MIN_VERSION_NUM) {
            out.add(DoctorFinding.ok(SERVER_VERSION, "PostgreSQL " + version));
        } else {
            out.add(DoctorFinding.error(SERVER_VERSION, "PostgreSQL " + version
                    + " is too old; RuVector Streams needs 13 or newer (pgoutput row filters, wal_status, max_slot_wal_keep_size)",
                    "upgrade the server to PostgreSQL 13 or newer (pg_upgrade)"));
        }
        if (inRecovery(conn) && versionNum < 160_000) {
            out.add(DoctorFinding.error(SERVER_VERSION, "this server is a standby; before PostgreSQL 16 logical decoding runs only on the primary",
                    "point --pg at the primary server"));
        }
        String walLevel = value(s, "wal_level", "?");
        if ("logical".equals(walLevel)) {
            out.add(DoctorFinding.ok(WAL_LEVEL, "wal_level is logical"));
        } else {
            out.add(DoctorFinding.error(WAL_LEVEL, "wal_level is " + walLevel + "; logical decoding (pgoutput) needs logical",
                    "ALTER SYSTEM SET wal_level = logical;" + RESTART));
        }
        checkCapacity(conn, ctx.slot(), s, out);
        checkWalKeepSize(s, out);
        return out;
    }

    private static void checkCapacity(Connection conn, String slot, Map<String, String[]> s, List<DoctorFinding> out)
            throws SQLException {
        int maxSlots = Integer.parseInt(value(s, MAX_REPLICATION_SLOTS, "0"));
        int maxSenders = Integer.parseInt(value(s, MAX_WAL_SENDERS, "0"));
        int usedSlots;
        boolean slotExists;
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT count(*), count(*) FILTER (WHERE slot_name = ?) FROM pg_replication_slots")) {
            ps.setString(1, slot == null ? "" : slot);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                usedSlots = rs.getInt(1);
                slotExists = rs.getInt(2) > 0;
            }
        }
        int usedSenders;
        try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM pg_stat_replication");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            usedSenders = rs.getInt(1);
        }
        int suggested = Math.max(10, maxSlots + 4);
        if (maxSlots <= 0) {
            out.add(DoctorFinding.error(MAX_REPLICATION_SLOTS, "max_replication_slots is 0; the capture needs one slot",
                    "ALTER SYSTEM SET max_replication_slots = 10;" + RESTART));
        } else if (usedSlots >= maxSlots && !slotExists) {
            out.add(DoctorFinding.error(MAX_REPLICATION_SLOTS, "all " + maxSlots
                    + " replication slots are in use; the capture cannot create its slot",
                    "drop unused slots (see replication_slot findings) or ALTER SYSTEM SET max_replication_slots = "
                            + suggested + ";" + RESTART));
        } else {
            out.add(DoctorFinding.ok(MAX_REPLICATION_SLOTS, usedSlots + " of " + maxSlots + " replication slots in use"
                    + (slotExists ? " (including this deployment's slot " + slot + ")" : "")));
        }
        if (maxSenders <= 0) {
            out.add(DoctorFinding.error(MAX_WAL_SENDERS, "max_wal_senders is 0; the capture streams through one WAL sender",
                    "ALTER SYSTEM SET max_wal_senders = 10;" + RESTART));
        } else if (usedSenders >= maxSenders) {
            out.add(DoctorFinding.error(MAX_WAL_SENDERS, "all " + maxSenders + " WAL senders are busy",
                    "ALTER SYSTEM SET max_wal_senders = " + Math.max(10, maxSenders + 4) + ";" + RESTART));
        } else {
            out.add(DoctorFinding.ok(MAX_WAL_SENDERS, usedSenders + " of " + maxSenders + " WAL senders in use"));
        }
    }

    private static void checkWalKeepSize(Map<String, String[]> s, List<DoctorFinding> out) {
        String keep = value(s, MAX_SLOT_WAL_KEEP_SIZE, null);
        if (keep == null) {
            return; // before PostgreSQL 13; the version finding already says so
        }
        if ("-1".equals(keep)) {
            out.add(DoctorFinding.warn(MAX_SLOT_WAL_KEEP_SIZE, "max_slot_wal_keep_size is -1 (unlimited): a stopped or lagging"
                    + " capture makes its slot keep WAL until the disk fills",
                    "ALTER SYSTEM SET max_slot_wal_keep_size = '4GB'; SELECT pg_reload_conf();"));
        } else {
            out.add(DoctorFinding.ok(MAX_SLOT_WAL_KEEP_SIZE, "max_slot_wal_keep_size is " + display(s, MAX_SLOT_WAL_KEEP_SIZE)
                    + " (a slot further behind is invalidated instead of filling the disk)"));
        }
    }

    private static boolean inRecovery(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT pg_is_in_recovery()");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** name → {raw setting, display form}. */
    private static Map<String, String[]> settings(Connection conn) throws SQLException {
        Map<String, String[]> map = new HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT name, setting, current_setting(name) FROM pg_settings"
                + " WHERE name IN ('server_version_num', 'server_version', 'wal_level', 'max_replication_slots',"
                + " 'max_wal_senders', 'max_slot_wal_keep_size')");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                map.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        return map;
    }

    private static String value(Map<String, String[]> s, String name, String dflt) {
        String[] v = s.get(name);
        return v == null ? dflt : v[0];
    }

    private static String display(Map<String, String[]> s, String name) {
        String[] v = s.get(name);
        return v == null ? "?" : v[1];
    }
}
