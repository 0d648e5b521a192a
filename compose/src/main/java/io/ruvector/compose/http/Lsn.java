package io.ruvector.compose.http;

/**
 * PostgreSQL LSN text ({@code 16/B374D848}: high and low 32 bits in hex) to and from the
 * {@code long} the index's watermarks use ({@code (hi << 32) | lo}).
 *
 * <p>PostgreSQL LSNs are unsigned 64-bit; the watermarks are signed longs that real servers never
 * push past {@link Long#MAX_VALUE}. An LSN at or above {@code 80000000/0} is therefore clamped to
 * {@link Long#MAX_VALUE}: still unreachable, and still ordered after every real watermark.
 */
final class Lsn {

    private Lsn() {
    }

    /** @throws ApiException 400 {@code invalid_lsn} naming {@code field} when {@code text} is not LSN text */
    static long parse(String text, String field) {
        try {
            return io.ruvector.schemas.LsnText.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_lsn", field + " '" + text
                    + "' is not a PostgreSQL LSN; use the text of pg_current_wal_lsn(), e.g. 0/16B3748");
        }
    }

    /** LSN text of a watermark, or null for a negative one (no watermark yet). */
    static String format(long lsn) {
        return io.ruvector.schemas.LsnText.format(lsn);
    }
}
