package io.ruvector.index.query;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Filter values and their comparison with metadata values. Metadata values are null,
 * {@link String}, {@link Long}, {@link Double} or {@link Boolean} (the {@code VectorChange}
 * schema); filter values are normalised to the same types on construction, so a row test never
 * converts anything.
 *
 * <p>Numbers compare by value across {@code Long} and {@code Double} (a filter {@code 2024}
 * matches a float column holding {@code 2024.0}), exactly, without rounding the long through a
 * double. As in PostgreSQL, NaN equals NaN and sorts above every other number.
 */
final class FilterValues {

    private FilterValues() {
    }

    /** {@code value} as a metadata type, or an {@link IllegalArgumentException} naming {@code key}. */
    static Object normalise(String key, Object value) {
        return switch (value) {
            case null -> throw new IllegalArgumentException("filter value for '" + key + "' is null");
            case CharSequence s -> s.toString();
            case Boolean b -> b;
            case Number n -> number(key, n);
            default -> throw new IllegalArgumentException("filter value for '" + key + "' has type "
                    + value.getClass().getSimpleName() + "; use string, long, double or boolean");
        };
    }

    /** {@code value} as a range bound: a number, not NaN. */
    static Number bound(String key, String name, Object value) {
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException("range bound '" + name + "' of '" + key + "' must be a number, was "
                    + (value instanceof CharSequence ? "'" + value + "'" : value.getClass().getSimpleName()));
        }
        Number bound = number(key, n);
        if (bound instanceof Double d && d.isNaN()) {
            throw new IllegalArgumentException("range bound '" + name + "' of '" + key + "' is NaN");
        }
        return bound;
    }

    /** Whether metadata {@code rowValue} equals normalised {@code filterValue}. */
    static boolean equal(Object rowValue, Object filterValue) {
        if (rowValue instanceof Number a && filterValue instanceof Number b) {
            return compare(a, b) == 0;
        }
        return filterValue.equals(rowValue);
    }

    /** Numeric order of two normalised numbers ({@code Long} or {@code Double}); NaN is the largest. */
    static int compare(Number a, Number b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof Long x) {
            return -compareDoubleToLong(b.doubleValue(), x);
        }
        if (b instanceof Long y) {
            return compareDoubleToLong(a.doubleValue(), y);
        }
        double x = a.doubleValue();
        double y = b.doubleValue();
        if (x != x || y != y) {
            return Boolean.compare(x != x, y != y);
        }
        return x < y ? -1 : x > y ? 1 : 0; // not Double.compare: -0.0 equals 0.0
    }

    /** Exact comparison of a double with a long: no precision is lost for longs beyond 2^53. */
    private static int compareDoubleToLong(double d, long l) {
        if (d != d) {
            return 1;
        }
        if (d >= 0x1p63) {
            return 1;
        }
        if (d < -0x1p63) {
            return -1;
        }
        long whole = (long) d; // truncates towards zero; exact below 2^63
        if (whole != l) {
            return Long.compare(whole, l);
        }
        double fraction = d - whole; // exact: same sign as d
        return fraction > 0 ? 1 : fraction < 0 ? -1 : 0;
    }

    private static Number number(String key, Number n) {
        return switch (n) {
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Double d -> d;
            case Float f -> (double) f;
            case BigInteger big -> {
                if (big.bitLength() > 63) {
                    throw new IllegalArgumentException("filter value for '" + key + "' does not fit a long: " + big);
                }
                yield big.longValue();
            }
            case BigDecimal dec -> dec.stripTrailingZeros().scale() <= 0 && dec.toBigInteger().bitLength() <= 63
                    ? (Number) dec.longValue() : (Number) dec.doubleValue();
            default -> throw new IllegalArgumentException("filter value for '" + key + "' has type "
                    + n.getClass().getSimpleName() + "; use string, long, double or boolean");
        };
    }
}
