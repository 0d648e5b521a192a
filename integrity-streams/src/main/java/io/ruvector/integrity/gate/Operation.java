package io.ruvector.integrity.gate;

import io.ruvector.schemas.RiskLevel;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Operations the gate knows, with their risk class (ARCHITECTURE.md §4). Anything else is
 * {@link #UNKNOWN}, which is MEDIUM: an operation we cannot classify is neither waved through
 * under stress nor refused outright.
 */
public enum Operation {
    SEARCH(RiskLevel.LOW),
    READ(RiskLevel.LOW),
    POINT_INSERT(RiskLevel.LOW),
    POINT_DELETE(RiskLevel.LOW),
    BULK_INSERT(RiskLevel.MEDIUM),
    BULK_DELETE(RiskLevel.MEDIUM),
    UPDATE(RiskLevel.MEDIUM),
    CENTROID_UPDATE(RiskLevel.MEDIUM),
    INDEX_REBUILD(RiskLevel.HIGH),
    COMPACTION(RiskLevel.HIGH),
    TIER_DEMOTION(RiskLevel.HIGH),
    SHARD_MOVE(RiskLevel.HIGH),
    REBALANCE(RiskLevel.HIGH),
    UNKNOWN(RiskLevel.MEDIUM);

    /** Short names that callers use for the same operations. */
    private static final Map<String, Operation> ALIASES = Map.of(
            "query", SEARCH, "knn", SEARCH, "get", READ, "insert", POINT_INSERT, "delete", POINT_DELETE,
            "rebuild", INDEX_REBUILD, "compact", COMPACTION, "demote", TIER_DEMOTION, "move_shard", SHARD_MOVE);

    private final RiskLevel risk;

    Operation(RiskLevel risk) {
        this.risk = risk;
    }

    public RiskLevel risk() {
        return risk;
    }

    /** The wire name, e.g. {@code bulk_insert}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code bulk_insert}, {@code BULK-INSERT}, {@code bulk insert} and the aliases
     * (insert, delete, query, rebuild, compact …); anything else is {@link #UNKNOWN}.
     */
    public static Operation parse(String text) {
        Objects.requireNonNull(text, "operation");
        String key = text.strip().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        Operation alias = ALIASES.get(key);
        if (alias != null) {
            return alias;
        }
        for (Operation op : values()) {
            if (op.wireName().equals(key)) {
                return op;
            }
        }
        return UNKNOWN;
    }
}
