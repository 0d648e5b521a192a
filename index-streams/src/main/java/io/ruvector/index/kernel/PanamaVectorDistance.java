package io.ruvector.index.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels on the incubating Vector API ({@link FloatVector#SPECIES_PREFERRED}).
 *
 * <p>Same accumulation type as pgvector (float lanes, float tail, widened to double only by the
 * caller), different order: each lane keeps a partial sum, the lanes are reduced once, and the
 * {@code dims % lanes} tail is added sequentially. Products use {@code fma}, like pgvector's
 * {@code target_clones("fma")} build. pgvector itself is auto-vectorised with
 * {@code -fassociative-math}, so it does not sum strictly in index order either; the two agree to
 * float rounding of the sum of absolute terms.
 *
 * <p>The dot / L2 / L1 loops use two accumulators: it halves the FMA latency chain and, as a side
 * effect, sums in a slightly more pairwise order. Loads past {@code loopBound} never happen, so
 * no masks are needed. Stateless, thread-safe, allocation-free once C2 has scalar-replaced the
 * vector boxes; no argument checks (see {@link VectorDistance}).
 *
 * <p>Only this package may reference {@code jdk.incubator.vector}; {@link VectorDistances} loads
 * this class reflectively so a JVM without {@code --add-modules jdk.incubator.vector} falls back.
 */
final class PanamaVectorDistance implements VectorDistance {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /**
     * Code rows are read {@code LANES} bytes at a time and widened to one float vector; a shape
     * of fewer than 64 bits does not exist, so narrower SIMD scores codes in plain Java.
     */
    private static final VectorSpecies<Byte> CODES =
            LANES >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(LANES * Byte.SIZE)) : null;
    private static final VectorSpecies<Integer> CODE_INTS = VectorSpecies.of(int.class, SPECIES.vectorShape());

    PanamaVectorDistance() {
    }

    /** Lanes of the preferred species; 1 would mean no usable SIMD. */
    static int lanes() {
        return LANES;
    }

    @Override
    public float dotProduct(float[] q, float[] data, int offset, int dims) {
        int upper = SPECIES.loopBound(dims);
        float sum = upper > 0 ? sumLanes(products(q, data, offset, upper)) : 0f;
        return productTail(q, data, offset, upper, dims, sum);
    }

    /** The lane-wise sums of products over components {@code [0, upper)}, as {@link #squaredDifferences} sums. */
    private static FloatVector products(float[] q, float[] data, int offset, int upper) {
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + 2 * LANES <= upper; i += 2 * LANES) {
            acc0 = FloatVector.fromArray(SPECIES, q, i)
                    .fma(FloatVector.fromArray(SPECIES, data, offset + i), acc0);
            acc1 = FloatVector.fromArray(SPECIES, q, i + LANES)
                    .fma(FloatVector.fromArray(SPECIES, data, offset + i + LANES), acc1);
        }
        if (i < upper) {
            acc0 = FloatVector.fromArray(SPECIES, q, i)
                    .fma(FloatVector.fromArray(SPECIES, data, offset + i), acc0);
        }
        return acc0.add(acc1);
    }

    /** {@code sum} plus the products of components {@code from..dims)}, in order (the dot product's tail). */
    private static float productTail(float[] q, float[] data, int offset, int from, int dims, float sum) {
        for (int i = from; i < dims; i++) {
            sum += q[i] * data[offset + i];
        }
        return sum;
    }

    @Override
    public float squaredL2(float[] q, float[] data, int offset, int dims) {
        int upper = SPECIES.loopBound(dims);
        float sum = upper > 0 ? sumLanes(squaredDifferences(q, data, offset, upper)) : 0f;
        return squaredTail(q, data, offset, upper, dims, sum);
    }

    /**
     * The lane-wise sums of squared differences over components {@code [0, upper)} ({@code upper}
     * a multiple of the lanes): two accumulators over pairs of vectors, an odd last vector into the
     * first, then their sum — shared by the in-order and any-order reductions.
     */
    private static FloatVector squaredDifferences(float[] q, float[] data, int offset, int upper) {
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + 2 * LANES <= upper; i += 2 * LANES) {
            FloatVector d0 = FloatVector.fromArray(SPECIES, q, i)
                    .sub(FloatVector.fromArray(SPECIES, data, offset + i));
            FloatVector d1 = FloatVector.fromArray(SPECIES, q, i + LANES)
                    .sub(FloatVector.fromArray(SPECIES, data, offset + i + LANES));
            acc0 = d0.fma(d0, acc0);
            acc1 = d1.fma(d1, acc1);
        }
        if (i < upper) {
            FloatVector d0 = FloatVector.fromArray(SPECIES, q, i)
                    .sub(FloatVector.fromArray(SPECIES, data, offset + i));
            acc0 = d0.fma(d0, acc0);
        }
        return acc0.add(acc1);
    }

    @Override
    public float l1(float[] q, float[] data, int offset, int dims) {
        int upper = SPECIES.loopBound(dims);
        int i = 0;
        float sum = 0f;
        if (upper > 0) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            for (; i + 2 * LANES <= upper; i += 2 * LANES) {
                acc0 = acc0.add(FloatVector.fromArray(SPECIES, q, i)
                        .sub(FloatVector.fromArray(SPECIES, data, offset + i)).abs());
                acc1 = acc1.add(FloatVector.fromArray(SPECIES, q, i + LANES)
                        .sub(FloatVector.fromArray(SPECIES, data, offset + i + LANES)).abs());
            }
            if (i < upper) {
                acc0 = acc0.add(FloatVector.fromArray(SPECIES, q, i)
                        .sub(FloatVector.fromArray(SPECIES, data, offset + i)).abs());
                i += LANES;
            }
            sum = sumLanes(acc0.add(acc1));
        }
        for (; i < dims; i++) {
            sum += Math.abs(q[i] - data[offset + i]);
        }
        return sum;
    }

    @Override
    public double cosineSimilarity(float[] q, float[] data, int offset, int dims) {
        int upper = SPECIES.loopBound(dims);
        int i = 0;
        float dot = 0f;
        float normQ = 0f;
        float normR = 0f;
        if (upper > 0) {
            // One accumulator per sum: three FMA chains already hide the latency.
            FloatVector accDot = FloatVector.zero(SPECIES);
            FloatVector accQ = FloatVector.zero(SPECIES);
            FloatVector accR = FloatVector.zero(SPECIES);
            for (; i < upper; i += LANES) {
                FloatVector x = FloatVector.fromArray(SPECIES, q, i);
                FloatVector y = FloatVector.fromArray(SPECIES, data, offset + i);
                accDot = x.fma(y, accDot);
                accQ = x.fma(x, accQ);
                accR = y.fma(y, accR);
            }
            dot = sumLanes(accDot);
            normQ = sumLanes(accQ);
            normR = sumLanes(accR);
        }
        for (; i < dims; i++) {
            float x = q[i];
            float y = data[offset + i];
            dot += x * y;
            normQ += x * x;
            normR += y * y;
        }
        return KernelMath.cosineFromSums(dot, normQ, normR);
    }

    @Override
    public void decodeCodes(float[] min, float[] step, byte[] codes, int offset, float[] dst, int dstOffset, int dims) {
        if (CODES == null) {
            ScalarVectorDistance.decodeCodes(min, step, codes, offset, dst, dstOffset, 0, dims);
            return;
        }
        int upper = SPECIES.loopBound(dims);
        for (int i = 0; i < upper; i += LANES) {
            // mul then add, as the scalar loop: a fused multiply-add would round differently
            widen(codes, offset + i).mul(FloatVector.fromArray(SPECIES, step, i))
                    .add(FloatVector.fromArray(SPECIES, min, i)).intoArray(dst, dstOffset + i);
        }
        ScalarVectorDistance.decodeCodes(min, step, codes, offset, dst, dstOffset, upper, dims);
    }

    @Override
    public float codeSquaredL2(float[] centred, float[] step, byte[] codes, int offset, int dims) {
        if (CODES == null) {
            return ScalarVectorDistance.codeSquaredL2(centred, step, codes, offset, 0, dims);
        }
        int upper = SPECIES.loopBound(dims);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int i = 0; i < upper; i += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, centred, i)
                    .sub(widen(codes, offset + i).mul(FloatVector.fromArray(SPECIES, step, i)));
            acc = d.fma(d, acc);
        }
        // approximate anyway: any lane order will do
        return acc.reduceLanes(VectorOperators.ADD) + ScalarVectorDistance.codeSquaredL2(centred, step, codes, offset, upper, dims);
    }

    @Override
    public float codeDot(float[] weights, byte[] codes, int offset, int dims) {
        if (CODES == null) {
            return ScalarVectorDistance.codeDot(weights, codes, offset, 0, dims);
        }
        int upper = SPECIES.loopBound(dims);
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int i = 0; i < upper; i += LANES) {
            acc = widen(codes, offset + i).fma(FloatVector.fromArray(SPECIES, weights, i), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD) + ScalarVectorDistance.codeDot(weights, codes, offset, upper, dims);
    }

    @Override
    public void codeSquaredL2x4(float[] centred, float[] step, byte[] codes, int o0, int o1, int o2, int o3, int dims,
                                float[] out) {
        if (CODES == null) {
            VectorDistance.super.codeSquaredL2x4(centred, step, codes, o0, o1, o2, o3, dims, out);
            return;
        }
        int upper = SPECIES.loopBound(dims);
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int i = 0; i < upper; i += LANES) {
            FloatVector c = FloatVector.fromArray(SPECIES, centred, i);
            FloatVector s = FloatVector.fromArray(SPECIES, step, i);
            FloatVector d0 = c.sub(widen(codes, o0 + i).mul(s));
            FloatVector d1 = c.sub(widen(codes, o1 + i).mul(s));
            FloatVector d2 = c.sub(widen(codes, o2 + i).mul(s));
            FloatVector d3 = c.sub(widen(codes, o3 + i).mul(s));
            a0 = d0.fma(d0, a0);
            a1 = d1.fma(d1, a1);
            a2 = d2.fma(d2, a2);
            a3 = d3.fma(d3, a3);
        }
        out[0] = a0.reduceLanes(VectorOperators.ADD) + ScalarVectorDistance.codeSquaredL2(centred, step, codes, o0, upper, dims);
        out[1] = a1.reduceLanes(VectorOperators.ADD) + ScalarVectorDistance.codeSquaredL2(centred, step, codes, o1, upper, dims);
        out[2] = a2.reduceLanes(VectorOperators.ADD) + ScalarVectorDistance.codeSquaredL2(centred, step, codes, o2, upper, dims);
        out[3] = a3.reduceLanes(VectorOperators.ADD) + ScalarVectorDistance.codeSquaredL2(centred, step, codes, o3, upper, dims);
    }

    @Override
    public void codeDotx4(float[] weights, byte[] codes, int o0, int o1, int o2, int o3, int dims, float[] out) {
        if (CODES == null) {
            VectorDistance.super.codeDotx4(weights, codes, o0, o1, o2, o3, dims, out);
            return;
        }
        int upper = SPECIES.loopBound(dims);
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int i = 0; i < upper; i += LANES) {
            FloatVector w = FloatVector.fromArray(SPECIES, weights, i);
            a0 = widen(codes, o0 + i).fma(w, a0);
            a1 = widen(codes, o1 + i).fma(w, a1);
            a2 = widen(codes, o2 + i).fma(w, a2);
            a3 = widen(codes, o3 + i).fma(w, a3);
        }
        out[0] = a0.reduceLanes(VectorOperators.ADD) + ScalarVectorDistance.codeDot(weights, codes, o0, upper, dims);
        out[1] = a1.reduceLanes(VectorOperators.ADD) + ScalarVectorDistance.codeDot(weights, codes, o1, upper, dims);
        out[2] = a2.reduceLanes(VectorOperators.ADD) + ScalarVectorDistance.codeDot(weights, codes, o2, upper, dims);
        out[3] = a3.reduceLanes(VectorOperators.ADD) + ScalarVectorDistance.codeDot(weights, codes, o3, upper, dims);
    }

    /** {@code LANES} unsigned bytes from {@code codes[at..)} as floats 0..255. */
    @Override
    public float squaredL2AnyOrder(float[] q, float[] data, int offset, int dims) {
        int upper = SPECIES.loopBound(dims);
        float sum = upper > 0 ? squaredDifferences(q, data, offset, upper).reduceLanes(VectorOperators.ADD) : 0f;
        return squaredTail(q, data, offset, upper, dims, sum);
    }

    @Override
    public float dotProductAnyOrder(float[] q, float[] data, int offset, int dims) {
        int upper = SPECIES.loopBound(dims);
        float sum = upper > 0 ? products(q, data, offset, upper).reduceLanes(VectorOperators.ADD) : 0f;
        return productTail(q, data, offset, upper, dims, sum);
    }

    @Override
    public void squaredL2x4(float[] q, float[] data, int o0, int o1, int o2, int o3, int dims, float[] out) {
        int upper = SPECIES.loopBound(dims);
        if (upper == 0) {
            VectorDistance.super.squaredL2x4(q, data, o0, o1, o2, o3, dims, out);
            return;
        }
        // squaredL2's loop for four rows side by side: per row the same two accumulators, the same
        // odd last vector and the same tail, so each sum is bit for bit the single-row one
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector b0 = a0;
        FloatVector a1 = a0;
        FloatVector b1 = a0;
        FloatVector a2 = a0;
        FloatVector b2 = a0;
        FloatVector a3 = a0;
        FloatVector b3 = a0;
        int i = 0;
        for (; i + 2 * LANES <= upper; i += 2 * LANES) {
            FloatVector qa = FloatVector.fromArray(SPECIES, q, i);
            FloatVector qb = FloatVector.fromArray(SPECIES, q, i + LANES);
            FloatVector d;
            d = qa.sub(FloatVector.fromArray(SPECIES, data, o0 + i));
            a0 = d.fma(d, a0);
            d = qb.sub(FloatVector.fromArray(SPECIES, data, o0 + i + LANES));
            b0 = d.fma(d, b0);
            d = qa.sub(FloatVector.fromArray(SPECIES, data, o1 + i));
            a1 = d.fma(d, a1);
            d = qb.sub(FloatVector.fromArray(SPECIES, data, o1 + i + LANES));
            b1 = d.fma(d, b1);
            d = qa.sub(FloatVector.fromArray(SPECIES, data, o2 + i));
            a2 = d.fma(d, a2);
            d = qb.sub(FloatVector.fromArray(SPECIES, data, o2 + i + LANES));
            b2 = d.fma(d, b2);
            d = qa.sub(FloatVector.fromArray(SPECIES, data, o3 + i));
            a3 = d.fma(d, a3);
            d = qb.sub(FloatVector.fromArray(SPECIES, data, o3 + i + LANES));
            b3 = d.fma(d, b3);
        }
        if (i < upper) {
            FloatVector qa = FloatVector.fromArray(SPECIES, q, i);
            FloatVector d;
            d = qa.sub(FloatVector.fromArray(SPECIES, data, o0 + i));
            a0 = d.fma(d, a0);
            d = qa.sub(FloatVector.fromArray(SPECIES, data, o1 + i));
            a1 = d.fma(d, a1);
            d = qa.sub(FloatVector.fromArray(SPECIES, data, o2 + i));
            a2 = d.fma(d, a2);
            d = qa.sub(FloatVector.fromArray(SPECIES, data, o3 + i));
            a3 = d.fma(d, a3);
            i += LANES;
        }
        out[0] = squaredTail(q, data, o0, i, dims, sumLanes(a0.add(b0)));
        out[1] = squaredTail(q, data, o1, i, dims, sumLanes(a1.add(b1)));
        out[2] = squaredTail(q, data, o2, i, dims, sumLanes(a2.add(b2)));
        out[3] = squaredTail(q, data, o3, i, dims, sumLanes(a3.add(b3)));
    }

    /** {@code sum} plus the squared differences of components {@code from..dims)}, in order (squaredL2's tail). */
    private static float squaredTail(float[] q, float[] data, int offset, int from, int dims, float sum) {
        for (int i = from; i < dims; i++) {
            float diff = q[i] - data[offset + i];
            sum += diff * diff;
        }
        return sum;
    }

    /** Whether a block's 16 bytes split into whole loads of {@code LANES} bytes (8 or 16 lanes). */
    private static final boolean NIBBLES = CODES != null && NibbleQuantizer.BLOCK_BYTES % LANES == 0;

    @Override
    public float nibbleDot(float[] weights, byte[] codes, int offset, int blocks) {
        if (!NIBBLES) {
            return ScalarVectorDistance.nibbleDotInOrder(weights, codes, offset, blocks);
        }
        FloatVector low = FloatVector.zero(SPECIES);
        FloatVector high = low;
        for (int b = 0; b < blocks; b++) {
            int w = b * NibbleQuantizer.BLOCK;
            int c = offset + b * NibbleQuantizer.BLOCK_BYTES;
            for (int h = 0; h < NibbleQuantizer.BLOCK_BYTES; h += LANES) {
                IntVector bytes = bytes(codes, c + h);
                low = lowNibbles(bytes).fma(FloatVector.fromArray(SPECIES, weights, w + h), low);
                high = highNibbles(bytes).fma(FloatVector.fromArray(SPECIES, weights, w + NibbleQuantizer.BLOCK_BYTES + h), high);
            }
        }
        return low.add(high).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void nibbleDotx4(float[] weights, byte[] codes, int o0, int o1, int o2, int o3, int blocks, float[] out) {
        if (!NIBBLES) {
            VectorDistance.super.nibbleDotx4(weights, codes, o0, o1, o2, o3, blocks, out);
            return;
        }
        FloatVector l0 = FloatVector.zero(SPECIES);
        FloatVector l1 = l0;
        FloatVector l2 = l0;
        FloatVector l3 = l0;
        FloatVector h0 = l0;
        FloatVector h1 = l0;
        FloatVector h2 = l0;
        FloatVector h3 = l0;
        for (int b = 0; b < blocks; b++) {
            int w = b * NibbleQuantizer.BLOCK;
            int c = b * NibbleQuantizer.BLOCK_BYTES;
            for (int h = 0; h < NibbleQuantizer.BLOCK_BYTES; h += LANES) {
                FloatVector wl = FloatVector.fromArray(SPECIES, weights, w + h);
                FloatVector wh = FloatVector.fromArray(SPECIES, weights, w + NibbleQuantizer.BLOCK_BYTES + h);
                IntVector b0 = bytes(codes, o0 + c + h);
                IntVector b1 = bytes(codes, o1 + c + h);
                IntVector b2 = bytes(codes, o2 + c + h);
                IntVector b3 = bytes(codes, o3 + c + h);
                l0 = lowNibbles(b0).fma(wl, l0);
                l1 = lowNibbles(b1).fma(wl, l1);
                l2 = lowNibbles(b2).fma(wl, l2);
                l3 = lowNibbles(b3).fma(wl, l3);
                h0 = highNibbles(b0).fma(wh, h0);
                h1 = highNibbles(b1).fma(wh, h1);
                h2 = highNibbles(b2).fma(wh, h2);
                h3 = highNibbles(b3).fma(wh, h3);
            }
        }
        out[0] = l0.add(h0).reduceLanes(VectorOperators.ADD);
        out[1] = l1.add(h1).reduceLanes(VectorOperators.ADD);
        out[2] = l2.add(h2).reduceLanes(VectorOperators.ADD);
        out[3] = l3.add(h3).reduceLanes(VectorOperators.ADD);
    }

    private static IntVector bytes(byte[] codes, int at) {
        return (IntVector) ByteVector.fromArray(CODES, codes, at).convertShape(VectorOperators.ZERO_EXTEND_B2I, CODE_INTS, 0);
    }

    private static FloatVector lowNibbles(IntVector bytes) {
        return (FloatVector) bytes.and(0xF).convert(VectorOperators.I2F, 0);
    }

    private static FloatVector highNibbles(IntVector bytes) {
        return (FloatVector) bytes.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0);
    }

    private static FloatVector widen(byte[] codes, int at) {
        return (FloatVector) ByteVector.fromArray(CODES, codes, at)
                .convertShape(VectorOperators.ZERO_EXTEND_B2I, CODE_INTS, 0)
                .convert(VectorOperators.I2F, 0);
    }

    @Override
    public String name() {
        return "panama";
    }

    @Override
    public String toString() {
        return "PanamaVectorDistance[" + SPECIES + "]";
    }

    /**
     * The lanes' sum in lane order. Not {@code reduceLanes(ADD)}: its order is left to the
     * implementation, and the interpreted and the compiled code sum differently, so the same
     * distance could differ in its last bits depending on how warm the JIT is.
     */
    private static float sumLanes(FloatVector v) {
        float[] lanes = v.toArray(); // one store; lane(i) extracts one lane at a time
        float sum = 0f;
        for (int lane = 0; lane < LANES; lane++) {
            sum += lanes[lane];
        }
        return sum;
    }
}
