package io.ruvector.healing.learn;

/**
 * How one strategy has done over the learning window, as the effectiveness API shows it.
 *
 * @param strategy           the strategy
 * @param attempts           outcomes in the window (dry runs excluded)
 * @param verified           of which applied and verified
 * @param successRate        verified / attempts
 * @param meanImprovement    mean relative λ improvement over all attempts
 * @param weight             the weight selection uses now (1.0 while learning is off)
 * @param meanDurationMillis mean run time of the attempts that report one, −1 when none does
 * @param lastCompletedAtMillis the latest attempt's end
 */
public record StrategyEffectiveness(String strategy, int attempts, int verified, double successRate,
                                    double meanImprovement, double weight, long meanDurationMillis,
                                    long lastCompletedAtMillis) {
}
