package io.ruvector.compose.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL LSN text ({@code 16/B374D848}: high and low 32 bits in hex) to and from the
 * {@code long} the index's watermarks use ({@code (hi << 32) | lo}).
 *
 * <p>PostgreSQL LSNs are unsigned 64-bit; the watermarks are signed longs that real servers never
 * push past {@link Long#MAX_VALUE}. An LSN at or above {@code 80000000/0} is therefore clamped to
 * {@link Long#MAX_VALUE}: still unreachable, and still ordered after every real watermark.
 */
final class Lsn {

    private static final Pattern TEXT = Pattern.compile("([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})");

    private Lsn() {
    }

    /** @throws ApiException 400 {@code invalid_lsn} naming {@code field} when {@code text} is not LSN text */
    static long parse(String text, String field) {
        Matcher m = text == null ? null : TEXT.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw ApiException.badRequest("invalid_lsn", field + " '" + text
                    + "' is not a PostgreSQL LSN; use the text of pg_current_wal_lsn(), e.g. 0/16B3748");
        }
        long hi = Long.parseLong(m.group(1), 16);
        long lo = Long.parseLong(m.group(2), 16);
        return hi >= 0x8000_0000L ? Long.MAX_VALUE : (hi << 32) | lo;
    }

    /** LSN text of a watermark, or null for a negative one (no watermark yet). */
    static String format(long lsn) {
        return io.ruvector.schemas.LsnText.format(lsn);
    }
}
