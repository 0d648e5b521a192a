package io.ruvector.schemas;

import java.util.Locale;

/**
 * PostgreSQL's text form of an LSN ({@code 16/B374D848}: high and low 32 bits in hex) for the
 * {@code long} that watermarks and events carry ({@code (hi << 32) | lo}).
 */
public final class LsnText {

    private LsnText() {
    }

    /** LSN text of {@code lsn}, or null for a negative one (no watermark yet). */
    public static String format(long lsn) {
        return lsn < 0 ? null : String.format(Locale.ROOT, "%X/%X", lsn >>> 32, lsn & 0xFFFF_FFFFL);
    }
}
