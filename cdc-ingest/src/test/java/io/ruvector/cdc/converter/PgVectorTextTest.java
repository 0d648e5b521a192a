package io.ruvector.cdc.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PgVectorTextTest {

    private static final int DIMENSIONS = 1031; // prime: no accidental alignment with any block size

    private static long seed() {
        String fixed = System.getProperty("test.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
        System.out.println("PgVectorTextTest seed=" + seed + " (rerun with -Dtest.seed=" + seed + ")");
        return seed;
    }

    @Test
    void shouldEqualFloatParseFloatPerComponentWhenComponentsArePrintedInManyForms() {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 40; round++) {
            List<String> tokens = new ArrayList<>(DIMENSIONS);
            for (int i = 0; i < DIMENSIONS; i++) {
                tokens.add(pad(random, token(random)));
            }
            String text = "[" + String.join(",", tokens) + "]";

            float[] parsed = PgVectorText.parseDense(text);

            assertThat(parsed).as("seed %d round %d", seed, round).hasSize(DIMENSIONS);
            for (int i = 0; i < DIMENSIONS; i++) {
                String token = tokens.get(i).trim();
                assertThat(Float.floatToRawIntBits(parsed[i]))
                        .as("seed %d component %d token '%s' (expected %s, got %s)", seed, i, token,
                                Float.parseFloat(token), parsed[i])
                        .isEqualTo(Float.floatToRawIntBits(Float.parseFloat(token)));
            }
        }
    }

    @Test
    void shouldEqualFloatParseFloatWhenShortDecimalsHitTheFastPath() {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < 200_000; n++) {
            // at most 15 significant digits and a small decimal exponent: the hand-written fast path
            int digits = 1 + random.nextInt(15);
            long mantissa = random.nextLong(1, (long) Math.pow(10, digits));
            int exponent = random.nextInt(-22, 23);
            String token = (random.nextBoolean() ? "-" : "") + mantissa + "e" + exponent;

            float parsed = PgVectorText.parseDense("[" + token + "]")[0];

            assertThat(Float.floatToRawIntBits(parsed)).as("seed %d token %s", seed, token)
                    .isEqualTo(Float.floatToRawIntBits(Float.parseFloat(token)));
        }
    }

    @Test
    void shouldRoundHalfToEvenWhenTextIsExactlyAFloatMidpoint() {
        // 2^24 + 1 lies halfway between 16777216 and 16777218; 2^25 - 1 halfway below a power of two
        for (String token : List.of("16777217", "16777219", "33554431", "-33554431", "0.500000014901161193847656250",
                "1.000000059604644775390625", "16777217.000001", "33554430.999999999999")) {
            float parsed = PgVectorText.parseDense("[" + token + "]")[0];
            assertThat(Float.floatToRawIntBits(parsed)).as(token)
                    .isEqualTo(Float.floatToRawIntBits(Float.parseFloat(token)));
        }
    }

    /**
     * 5.07060224979719e30 lies just below the midpoint between the largest float under 2^102
     * (0x727fffff) and 2^102 (0x72800000), and rounds to that midpoint as a double. The
     * correctly rounded float is therefore 0x727fffff; double rounding gives 2^102.
     */
    @Test
    void shouldEqualFloatParseFloatWhenDecimalDoubleRoundsToTheMidpointBelowAPowerOfTwo() {
        for (String token : List.of("5.07060224979719e30", "-5.07060224979719e30", "507060224979719e16")) {
            float parsed = PgVectorText.parseDense("[" + token + "]")[0];
            assertThat(Integer.toHexString(Float.floatToRawIntBits(parsed))).as(token)
                    .isEqualTo(Integer.toHexString(Float.floatToRawIntBits(Float.parseFloat(token))));
        }
    }

    @Test
    void shouldKeepNegativeZeroWhenComponentIsMinusZero() {
        float[] parsed = PgVectorText.parseDense("[-0,-0.0, 0,-0e5]");

        assertThat(parsed).hasSize(4);
        assertThat(Float.floatToRawIntBits(parsed[0])).isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(Float.floatToRawIntBits(parsed[1])).isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(Float.floatToRawIntBits(parsed[2])).isEqualTo(0);
        assertThat(Float.floatToRawIntBits(parsed[3])).isEqualTo(Float.floatToRawIntBits(-0.0f));
    }

    @Test
    void shouldAcceptSurroundingWhitespaceWhenVectorIsPadded() {
        assertThat(PgVectorText.parseDense("  [ 1 , 2.5 ,-3 ]\n")).containsExactly(1f, 2.5f, -3f);
    }

    @Test
    void shouldReturnNoComponentsWhenVectorIsEmpty() {
        assertThat(PgVectorText.parseDense("[]")).isEmpty();
        assertThat(PgVectorText.parseDense(" [ ] ")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,2", "[1,,2]", "[a]", "[1,2", "1,2]", "", "[", "[1,]", "[,]", "[1 2]", "[1e]", "[--1]",
            "[1.2.3]", "(1,2)"})
    void shouldThrowWithMessageWhenDenseTextIsMalformed(String text) {
        assertThatThrownBy(() -> PgVectorText.parseDense(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null")
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }

    @Test
    void shouldNameTheOffendingTokenWhenComponentIsNotANumber() {
        assertThatThrownBy(() -> PgVectorText.parseDense("[1,abc,3]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("abc");
    }

    @Test
    void shouldUseZeroBasedIndicesWhenSparseTextIsParsed() {
        PgVectorText.SparseFloats sparse = PgVectorText.parseSparse("{1:0.5,3:2}/5");

        assertThat(sparse.dimensions()).isEqualTo(5);
        assertThat(sparse.indices()).containsExactly(0, 2);
        assertThat(sparse.values()).containsExactly(0.5f, 2f);
    }

    @Test
    void shouldGiveNoElementsWhenSparseVectorIsEmpty() {
        PgVectorText.SparseFloats sparse = PgVectorText.parseSparse("{}/3");

        assertThat(sparse.dimensions()).isEqualTo(3);
        assertThat(sparse.indices()).isEmpty();
        assertThat(sparse.values()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{1:0.5", "1:0.5}/5", "{1:0.5}", "{1}/5", "{1:x}/5", "{1:0.5}/"})
    void shouldThrowWhenSparseTextIsMalformed(String text) {
        assertThatThrownBy(() -> PgVectorText.parseSparse(text))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRoundTripWhenVectorGoesThroughLittleEndianBytes() {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        float[] vector = new float[DIMENSIONS];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = Float.intBitsToFloat(random.nextInt()); // includes NaN payloads, infinities, subnormals
        }

        byte[] bytes = PgVectorText.toLittleEndianBytes(vector);
        float[] back = PgVectorText.fromLittleEndianBytes(ByteBuffer.wrap(bytes));

        assertThat(bytes).hasSize(DIMENSIONS * Float.BYTES);
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < vector.length; i++) {
            assertThat(le.getInt(i * 4)).as("seed %d LE bits of %d", seed, i).isEqualTo(Float.floatToRawIntBits(vector[i]));
            assertThat(Float.floatToRawIntBits(back[i])).as("seed %d component %d", seed, i)
                    .isEqualTo(Float.floatToRawIntBits(vector[i]));
        }
    }

    @Test
    void shouldWriteLittleEndianWhenOneIsEncoded() {
        assertThat(PgVectorText.toLittleEndianBytes(new float[] {1f})).containsExactly(0x00, 0x00, 0x80, 0x3f);
    }

    @Test
    void shouldReadFromBufferPositionWhenBufferIsASlice() {
        ByteBuffer buffer = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(9f).putFloat(1.5f).putFloat(-2f);
        buffer.position(4);

        assertThat(PgVectorText.fromLittleEndianBytes(buffer)).containsExactly(1.5f, -2f);
        assertThat(buffer.position()).as("input buffer untouched").isEqualTo(4);
    }

    @Test
    void shouldRoundTripWhenSparseVectorIsPackedAndUnpacked() {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        int dimensions = 100_003;
        List<Integer> indexList = new ArrayList<>();
        for (int i = 0; i < dimensions; i += 1 + random.nextInt(5_000)) {
            indexList.add(i);
        }
        int[] indices = indexList.stream().mapToInt(Integer::intValue).toArray();
        float[] values = new float[indices.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }

        byte[] packed = VectorWireFormat.encodeSparse(new PgVectorText.SparseFloats(dimensions, indices, values));
        PgVectorText.SparseFloats back = VectorWireFormat.decodeSparse(packed);

        assertThat(packed).hasSize(8 + 8 * indices.length);
        assertThat(back.dimensions()).as("seed %d", seed).isEqualTo(dimensions);
        assertThat(back.indices()).as("seed %d", seed).containsExactly(indices);
        assertThat(back.values()).as("seed %d", seed).containsExactly(values);
    }

    @Test
    void shouldRoundTripWhenParsedSparseTextIsPacked() {
        byte[] packed = VectorWireFormat.encodeSparse(PgVectorText.parseSparse("{1:0.5,3:2}/5"));
        PgVectorText.SparseFloats back = VectorWireFormat.decodeSparse(packed);

        assertThat(ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN).getInt(0)).isEqualTo(5);
        assertThat(back.indices()).containsExactly(0, 2);
        assertThat(back.values()).containsExactly(0.5f, 2f);
        assertThat(VectorWireFormat.decodeSparse(VectorWireFormat.encodeSparse(PgVectorText.parseSparse("{}/3"))).indices())
                .isEmpty();
    }

    private static String pad(SplittableRandom random, String token) {
        return switch (random.nextInt(6)) {
            case 0 -> " " + token;
            case 1 -> token + "  ";
            case 2 -> "\t" + token + " ";
            default -> token;
        };
    }

    private static String token(SplittableRandom random) {
        float f = randomFloat(random);
        return switch (random.nextInt(14)) {
            case 0 -> Float.toString(f);
            case 1 -> Double.toString(f);
            case 2 -> String.format(Locale.ROOT, "%.9g", f);
            case 3 -> String.format(Locale.ROOT, "%e", f);
            case 4 -> Integer.toString(random.nextInt(-20_000_000, 20_000_000));
            case 5 -> random.nextBoolean() ? "-0" : "-0.0";
            case 6 -> midpoint(random, f, 17 + random.nextInt(10));
            case 7 -> midpoint(random, f, 6 + random.nextInt(10));
            case 8 -> new BigDecimal(midpointExact(f)).toString(); // exact: ties to even
            case 9 -> Float.toString(Float.MIN_VALUE * random.nextInt(1, 1 << 23)); // subnormal range
            case 10 -> String.format(Locale.ROOT, "%.12e", Float.MAX_VALUE * random.nextDouble(0.5, 1.0000001));
            case 11 -> String.format(Locale.ROOT, "%.14e", (double) f * (1 + random.nextDouble(-1e-7, 1e-7)));
            case 12 -> BigDecimal.valueOf(random.nextLong(-999_999_999_999_999L, 999_999_999_999_999L))
                    .scaleByPowerOfTen(random.nextInt(-25, 8)).toString();
            default -> String.format(Locale.ROOT, "%." + random.nextInt(1, 10) + "f", f);
        };
    }

    /** A finite float across the whole exponent range, including subnormals. */
    private static float randomFloat(SplittableRandom random) {
        float f;
        do {
            f = switch (random.nextInt(3)) {
                case 0 -> Float.intBitsToFloat(random.nextInt());
                case 1 -> (float) random.nextGaussian();
                default -> (float) (random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-8, 9)));
            };
        } while (!Float.isFinite(f));
        return f;
    }

    /** Exact midpoint between f and the next float away from zero. */
    private static double midpointExact(float f) {
        float next = Math.nextAfter(f, f < 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        if (!Float.isFinite(next)) {
            next = Math.nextDown(f);
        }
        return ((double) f + (double) next) / 2; // exact: a float midpoint fits in a double
    }

    /** The midpoint printed with the given significant digits, nudged a few units of the last digit either way. */
    private static String midpoint(SplittableRandom random, float f, int significantDigits) {
        BigDecimal exact = new BigDecimal(midpointExact(f));
        BigDecimal rounded = exact.round(new java.math.MathContext(significantDigits));
        BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(-rounded.scale());
        int nudge = random.nextInt(-2, 3);
        return rounded.add(unit.multiply(BigDecimal.valueOf(nudge))).toString();
    }
}
