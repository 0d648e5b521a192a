package io.ruvector.integrity.lambda;

/**
 * Settings of the λ computation.
 *
 * @param lambda2Enabled  compute the Fiedler value λ₂ at all (true)
 * @param lambda2MaxNodes skip λ₂ above this many nodes (300): EJML's dense eigen solver is O(n³),
 *                        ≈ 10 ms at 100 nodes and ≈ 0.1 s at 500 (FiedlerValue), too much for a
 *                        10 s cadence per collection beyond a few hundred nodes; λ₂ never gates,
 *                        so a skipped value is only a missing drift signal
 */
public record LambdaSettings(boolean lambda2Enabled, int lambda2MaxNodes) {

    public static final LambdaSettings DEFAULTS = new LambdaSettings(true, 300);

    public LambdaSettings {
        if (lambda2MaxNodes < 2) {
            throw new IllegalArgumentException("integrity lambda2MaxNodes must be >= 2, was " + lambda2MaxNodes);
        }
    }
}
