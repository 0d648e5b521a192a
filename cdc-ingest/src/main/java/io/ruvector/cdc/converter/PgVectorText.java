package io.ruvector.cdc.converter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses pgvector's text forms straight into float32, in one pass and without boxing.
 *
 * <p>Text to double to float is the measured throughput limit of CDC for vectors, so this
 * parser reads digits itself for the common shapes ({@code 0.125}, {@code -3e-05}) and
 * falls back to {@link Float#parseFloat} only for tokens it does not recognise (nan,
 * infinity). The result is exactly what {@code Float.parseFloat} returns for every token.
 */
public final class PgVectorText {

    private PgVectorText() {
    }

    /** Parses {@code [1,2.5,-3]} (pgvector {@code vector} and {@code halfvec} text) to float32. */
    public static float[] parseDense(CharSequence text) {
        // One intrinsic copy to Latin-1 bytes, then plain array indexing: charAt through
        // CharSequence was half of Debezium's streaming thread in the ingest profile.
        return parseDense(text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Parses pgvector text given as ASCII bytes. */
    public static float[] parseDense(byte[] text) {
        int start = 0;
        int end = text.length;
        while (start < end && isSpace(text[start])) {
            start++;
        }
        while (end > start && isSpace(text[end - 1])) {
            end--;
        }
        if (end - start < 2 || text[start] != '[' || text[end - 1] != ']') {
            throw new IllegalArgumentException("vector text must look like [1,2,3], got: " + abbreviate(text));
        }
        int close = end - 1;
        int first = start + 1;
        while (first < close && isSpace(text[first])) {
            first++;
        }
        if (first == close) {
            return new float[0];
        }
        // One pass: at most (length + 1) / 2 components fit in the text; trim at the end.
        float[] scratch = SCRATCH.get();
        int capacity = (close - start) / 2 + 1;
        if (scratch.length < capacity) {
            scratch = new float[Math.max(capacity, scratch.length * 2)];
            SCRATCH.set(scratch);
        }
        int count = 0;
        int pos = start + 1;
        while (true) {
            int comma = indexOf(text, (byte) ',', pos, close);
            scratch[count++] = parseFloat(text, pos, comma);
            if (comma >= close) {
                break;
            }
            pos = comma + 1;
        }
        return Arrays.copyOf(scratch, count);
    }

    /** Parses pgvector {@code sparsevec} text {@code {1:0.5,3:2}/5} (1-based indices) to a sparse vector. */
    public static SparseFloats parseSparse(CharSequence text) {
        String s = text.toString().trim();
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        int close = s.lastIndexOf('}');
        int slash = s.indexOf('/', Math.max(close, 0));
        if (!s.startsWith("{") || close < 0 || slash < 0) {
            throw new IllegalArgumentException("sparsevec text must look like {1:0.5,3:2}/5, got: " + abbreviate(s));
        }
        int dimensions = Integer.parseInt(s.substring(slash + 1).trim());
        int count = countComponents(b, 1, close);
        int[] indices = new int[count];
        float[] values = new float[count];
        int pos = 1;
        for (int i = 0; i < count; i++) {
            int comma = indexOf(b, (byte) ',', pos, close);
            int colon = indexOf(b, (byte) ':', pos, comma);
            if (colon == comma) {
                throw new IllegalArgumentException("sparsevec element without ':' in " + abbreviate(s));
            }
            indices[i] = Integer.parseInt(s.substring(pos, colon).trim()) - 1;
            values[i] = parseFloat(b, colon + 1, comma);
            pos = comma + 1;
        }
        return new SparseFloats(dimensions, indices, values);
    }

    /** Float32 little-endian bytes of the vector, the wire form of {@code VectorChange.vector}. */
    public static byte[] toLittleEndianBytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    /** Inverse of {@link #toLittleEndianBytes(float[])}. */
    public static float[] fromLittleEndianBytes(ByteBuffer bytes) {
        ByteBuffer view = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[view.remaining() / Float.BYTES];
        view.asFloatBuffer().get(out);
        return out;
    }

    private static int countComponents(byte[] text, int from, int to) {
        int first = from;
        while (first < to && isSpace(text[first])) {
            first++;
        }
        if (first >= to) {
            return 0;
        }
        int count = 1;
        for (int i = from; i < to; i++) {
            if (text[i] == ',') {
                count++;
            }
        }
        return count;
    }

    private static int indexOf(byte[] text, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] == c) {
                return i;
            }
        }
        return to;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0B;
    }

    /**
     * Fast path: up to 15 significant digits and |exponent| <= 22 are exact in a long and a
     * double power of ten, so one division or multiplication gives the correctly rounded
     * double; that rounds to the correctly rounded float except exactly on a float midpoint,
     * which goes to the slow path. Anything unusual goes to {@link Float#parseFloat}.
     */
    static float parseFloat(byte[] text, int from, int to) {
        int i = from;
        while (i < to && isSpace(text[i])) {
            i++;
        }
        int end = to;
        while (end > i && isSpace(text[end - 1])) {
            end--;
        }
        if (i >= end) {
            throw new IllegalArgumentException("empty vector component");
        }
        int p = i;
        boolean negative = false;
        int c = text[p];
        if (c == '-' || c == '+') {
            negative = c == '-';
            p++;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        boolean sawDigit = false;
        while (p < end && (c = text[p]) >= '0' && c <= '9') {
            sawDigit = true;
            if (digits < 18) {
                mantissa = mantissa * 10 + (c - '0');
                if (mantissa != 0) {
                    digits++;
                }
            } else {
                exponent++;
            }
            p++;
        }
        if (p < end && text[p] == '.') {
            p++;
            while (p < end && (c = text[p]) >= '0' && c <= '9') {
                sawDigit = true;
                if (digits < 18) {
                    mantissa = mantissa * 10 + (c - '0');
                    if (mantissa != 0) {
                        digits++;
                    }
                    exponent--;
                }
                p++;
            }
        }
        if (sawDigit && p < end && ((c = text[p]) == 'e' || c == 'E')) {
            p++;
            boolean expNegative = false;
            if (p < end && ((c = text[p]) == '-' || c == '+')) {
                expNegative = c == '-';
                p++;
            }
            int e = 0;
            boolean expDigit = false;
            while (p < end && (c = text[p]) >= '0' && c <= '9' && e < 10_000) {
                e = e * 10 + (c - '0');
                expDigit = true;
                p++;
            }
            if (!expDigit) {
                return slow(text, i, end);
            }
            exponent += expNegative ? -e : e;
        }
        if (!sawDigit || p != end || digits > 15 || exponent < -22 || exponent > 22) {
            return slow(text, i, end);
        }
        double value = exponent < 0 ? mantissa / POWERS[-exponent] : mantissa * POWERS[exponent];
        float f = (float) value;
        // value is the correctly rounded double of the decimal; casting it rounds correctly too
        // unless it sits exactly on the midpoint between two floats (the decimal may be just off
        // it): let the JDK decide those rare cases.
        double back = f;
        if (back != value) {
            double neighbour = value < back ? Math.nextDown(f) : Math.nextUp(f);
            if (value == (back + neighbour) / 2) {
                return slow(text, i, end);
            }
        }
        return negative ? -f : f;
    }

    private static float slow(byte[] text, int from, int to) {
        String token = new String(text, from, to - from, StandardCharsets.ISO_8859_1);
        try {
            return Float.parseFloat(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + token + "'");
        }
    }

    private static String abbreviate(CharSequence text) {
        return text.length() <= 80 ? text.toString() : text.subSequence(0, 77) + "...";
    }

    private static String abbreviate(byte[] text) {
        return abbreviate(new String(text, StandardCharsets.ISO_8859_1));
    }

    private static final double[] POWERS = new double[23];
    /** Per-thread parse buffer: Debezium converts on one streaming thread, so this is allocation-free there. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[2048]);

    static {
        double p = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = p;
            p *= 10;
        }
    }

    /** A parsed sparsevec: 0-based indices, strictly increasing. */
    public record SparseFloats(int dimensions, int[] indices, float[] values) {
    }
}
