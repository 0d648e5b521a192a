package io.ruvector.cdc.throttle;

import io.ruvector.schemas.RiskLevel;

/**
 * How risky a captured change is for the index, in the gate matrix's terms: single-row writes are
 * point operations (low risk), many changes of one collection in one batch are a bulk load
 * (medium risk). The capture cannot see transactions, so it judges by batch.
 */
public enum OperationClass {
    POINT(RiskLevel.LOW),
    BULK(RiskLevel.MEDIUM);

    private final RiskLevel risk;

    OperationClass(RiskLevel risk) {
        this.risk = risk;
    }

    public RiskLevel risk() {
        return risk;
    }
}
