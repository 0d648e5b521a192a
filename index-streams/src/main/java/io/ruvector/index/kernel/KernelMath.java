package io.ruvector.index.kernel;

/** The double-precision finishing steps pgvector applies to its float sums, shared by all kernels. */
final class KernelMath {

    private KernelMath() {
    }

    /**
     * pgvector {@code VectorCosineSimilarity}'s last line:
     * {@code (double) similarity / sqrt((double) norma * (double) normb)}. Widening before the
     * product keeps it exact (two 24-bit significands fit in 53 bits) and avoids float overflow;
     * one root of the product ("Use sqrt(a * b) over sqrt(a) * sqrt(b)") makes cos(a, a) exactly 1
     * when dot and |a|² were summed in the same order. A zero vector gives 0/0 = NaN, as in pgvector.
     */
    static double cosineFromSums(float dot, float normQ, float normR) {
        return (double) dot / Math.sqrt((double) normQ * (double) normR);
    }
}
