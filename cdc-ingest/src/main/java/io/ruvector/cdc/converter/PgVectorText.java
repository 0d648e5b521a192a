package io.ruvector.cdc.converter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
        int start = skipSpace(text, 0);
        int end = text.length();
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (end - start < 2 || text.charAt(start) != '[' || text.charAt(end - 1) != ']') {
            throw new IllegalArgumentException("vector text must look like [1,2,3], got: " + abbreviate(text));
        }
        int count = countComponents(text, start + 1, end - 1);
        float[] out = new float[count];
        int pos = start + 1;
        for (int i = 0; i < count; i++) {
            int comma = indexOf(text, ',', pos, end - 1);
            out[i] = parseFloat(text, pos, comma);
            pos = comma + 1;
        }
        return out;
    }

    /** Parses pgvector {@code sparsevec} text {@code {1:0.5,3:2}/5} (1-based indices) to a sparse vector. */
    public static SparseFloats parseSparse(CharSequence text) {
        String s = text.toString().trim();
        int close = s.lastIndexOf('}');
        int slash = s.indexOf('/', Math.max(close, 0));
        if (!s.startsWith("{") || close < 0 || slash < 0) {
            throw new IllegalArgumentException("sparsevec text must look like {1:0.5,3:2}/5, got: " + abbreviate(s));
        }
        int dimensions = Integer.parseInt(s.substring(slash + 1).trim());
        int count = countComponents(s, 1, close);
        int[] indices = new int[count];
        float[] values = new float[count];
        int pos = 1;
        for (int i = 0; i < count; i++) {
            int comma = indexOf(s, ',', pos, close);
            int colon = indexOf(s, ':', pos, comma);
            if (colon == comma) {
                throw new IllegalArgumentException("sparsevec element without ':' in " + abbreviate(s));
            }
            indices[i] = Integer.parseInt(s.substring(pos, colon).trim()) - 1;
            values[i] = parseFloat(s, colon + 1, comma);
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

    private static int countComponents(CharSequence text, int from, int to) {
        int first = skipSpace(text, from);
        if (first >= to) {
            return 0;
        }
        int count = 1;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == ',') {
                count++;
            }
        }
        return count;
    }

    private static int indexOf(CharSequence text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return to;
    }

    private static int skipSpace(CharSequence text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * Fast path: up to 15 significant digits and |exponent| <= 22 are exact in a long and a
     * double power of ten, so one division or multiplication gives the correctly rounded
     * double; that rounds to the correctly rounded float except exactly on a float midpoint,
     * which goes to the slow path. Anything unusual goes to {@link Float#parseFloat}.
     */
    static float parseFloat(CharSequence text, int from, int to) {
        int i = skipSpace(text, from);
        int end = to;
        while (end > i && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (i >= end) {
            throw new IllegalArgumentException("empty vector component");
        }
        int p = i;
        boolean negative = false;
        char c = text.charAt(p);
        if (c == '-' || c == '+') {
            negative = c == '-';
            p++;
        }
        long mantissa = 0;
        int digits = 0;
        int exponent = 0;
        boolean sawDigit = false;
        while (p < end && (c = text.charAt(p)) >= '0' && c <= '9') {
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
        if (p < end && text.charAt(p) == '.') {
            p++;
            while (p < end && (c = text.charAt(p)) >= '0' && c <= '9') {
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
        if (sawDigit && p < end && ((c = text.charAt(p)) == 'e' || c == 'E')) {
            p++;
            boolean expNegative = false;
            if (p < end && ((c = text.charAt(p)) == '-' || c == '+')) {
                expNegative = c == '-';
                p++;
            }
            int e = 0;
            boolean expDigit = false;
            while (p < end && (c = text.charAt(p)) >= '0' && c <= '9' && e < 10_000) {
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

    private static float slow(CharSequence text, int from, int to) {
        String token = text.subSequence(from, to).toString();
        try {
            return Float.parseFloat(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + token + "'");
        }
    }

    private static String abbreviate(CharSequence text) {
        return text.length() <= 80 ? text.toString() : text.subSequence(0, 77) + "...";
    }

    private static final double[] POWERS = new double[23];

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
