package io.ruvector.schemas;

import java.util.Locale;

/**
 * PostgreSQL's text form of an LSN ({@code 16/B374D848}: high and low 32 bits in hex) for the
 * {@code long} that watermarks and events carry ({@code (hi << 32) | lo}).
 */
public final class LsnText {

    private LsnText() {
    }

    /**
     * The {@code long} of LSN text ({@code 16/B374D848}); an LSN at or above {@code 80000000/0}
     * (never reached by a real server) is clamped to {@link Long#MAX_VALUE}.
     *
     * @throws IllegalArgumentException when {@code text} is not LSN text
     */
    public static long parse(String text) {
        String t = text == null ? "" : text.trim();
        int slash = t.indexOf('/');
        if (slash < 1 || slash > 8 || t.length() - slash - 1 < 1 || t.length() - slash - 1 > 8
                || !(t.substring(0, slash) + t.substring(slash + 1)).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("'" + text + "' is not a PostgreSQL LSN (e.g. 0/16B3748)");
        }
        try {
            long hi = Long.parseLong(t.substring(0, slash), 16);
            long lo = Long.parseLong(t.substring(slash + 1), 16);
            return hi >= 0x8000_0000L ? Long.MAX_VALUE : (hi << 32) | lo;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a PostgreSQL LSN (e.g. 0/16B3748)", e);
        }
    }

    /** LSN text of {@code lsn}, or null for a negative one (no watermark yet). */
    public static String format(long lsn) {
        return lsn < 0 ? null : String.format(Locale.ROOT, "%X/%X", lsn >>> 32, lsn & 0xFFFF_FFFFL);
    }
}
