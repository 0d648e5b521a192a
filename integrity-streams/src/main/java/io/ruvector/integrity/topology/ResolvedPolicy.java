package io.ruvector.integrity.topology;

import io.ruvector.integrity.contract.GraphBudgets;
import io.ruvector.integrity.state.HysteresisPolicy;
import io.ruvector.schemas.EffectiveIntegrityPolicy;
import io.ruvector.schemas.IntegrityPolicy;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy in force for one scope: the defaults, overridden field by field by the collection's
 * {@code IntegrityPolicy}, then by the tenant's. An override that fails validation (e.g. low ≥
 * high) is logged and ignored as a whole, so a bad policy record never stops the sensor.
 *
 * @param hysteresis thresholds and timings
 * @param budgets    graph budgets
 * @param source     {@code default}, {@code collection} or {@code tenant}: the most specific policy applied
 */
public record ResolvedPolicy(HysteresisPolicy hysteresis, GraphBudgets budgets, String source) {

    private static final Logger LOG = LoggerFactory.getLogger(ResolvedPolicy.class);

    public ResolvedPolicy {
        Objects.requireNonNull(hysteresis, "hysteresis");
        Objects.requireNonNull(budgets, "budgets");
        Objects.requireNonNull(source, "source");
    }

    public static ResolvedPolicy resolve(IntegritySettings defaults, IntegrityPolicy collection, IntegrityPolicy tenant) {
        ResolvedPolicy policy = new ResolvedPolicy(defaults.hysteresis(), defaults.budgets(), "default");
        policy = policy.apply(collection, "collection");
        return policy.apply(tenant, "tenant");
    }

    private ResolvedPolicy apply(IntegrityPolicy override, String level) {
        if (override == null) {
            return this;
        }
        try {
            return new ResolvedPolicy(hysteresis.withOverrides(override), budgets.withOverrides(override), level);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring the {} integrity policy of {}{}: {}", level, override.getCollection(),
                    override.getTenant() == null ? "" : "/" + override.getTenant(), e.getMessage());
            return this;
        }
    }

    /** The thresholds and budgets as the state record carries them. */
    public EffectiveIntegrityPolicy toAvro() {
        return EffectiveIntegrityPolicy.newBuilder()
                .setThresholdHigh(hysteresis.thresholdHigh())
                .setThresholdLow(hysteresis.thresholdLow())
                .setSamplesToStress(hysteresis.samplesToStress())
                .setSamplesToCritical(hysteresis.samplesToCritical())
                .setRecoveryHoldSeconds(hysteresis.recoveryHold().toSeconds())
                .setRecoveryMargin(hysteresis.recoveryMargin())
                .setCooldownSeconds(hysteresis.cooldown().toSeconds())
                .setLagBudgetRecords(budgets.lagBudgetRecords())
                .setLagBudgetMillis(budgets.lagBudgetMillis())
                .setLatencyBudgetMicros(budgets.latencyBudgetMicros())
                .setStandbyLagBudgetRecords(budgets.standbyLagBudgetRecords())
                .setErrorRateBudget(budgets.errorRateBudget())
                .setLoadSkewBudget(budgets.loadSkewBudget())
                .setSource(source)
                .build();
    }
}
