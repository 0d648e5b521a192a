package io.ruvector.healing.engine;

import io.ruvector.schemas.healing.Strategies;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The healing engine's safety limits and timings (ARCHITECTURE.md §5 defaults). The compact
 * constructor validates; {@link #withOverrides} applies an operator's {@code configure} request,
 * naming the offending setting on bad input. One record for the deployment default and, after
 * overrides, per collection.
 *
 * @param enabled                  self-healing on; off = detect and classify only
 * @param minIntervalMillis        least time between two automatic attempts on a scope (300 s)
 * @param maxAttemptsPerWindow     attempts allowed per window (3)
 * @param attemptWindowMillis      the window (1 h)
 * @param maxAutoHealImpact        strategies above this impact are never chosen automatically (0.5)
 * @param requireApproval          strategies that wait for an operator's approval (scale_replicas)
 * @param disabledProblemClasses   problem classes self-healing leaves alone (switchable at run time)
 * @param learningEnabled          outcomes update the strategy weights
 * @param stabilisationMillis      wait between an applied command and the verifying λ reading (30 s)
 * @param verifyFactor             verified when λ after > factor × λ before (1.1), or λ reached the high threshold
 * @param sampleFreshnessMillis    readiness: samples and state must be at most this old (30 s)
 * @param effectMillis             how long a lasting effect (throttle, pause) holds before it lapses (10 min)
 * @param stopAfterUnverified      consecutive unverified remediations after which auto-heal stops for the scope (2)
 * @param stressAdmitFraction      throttle_ingestion's admit fraction in stress (0.5 = 50 % throttled)
 * @param criticalAdmitFraction    in critical (0.1 = 90 % throttled)
 * @param evictIdleMillis          evict_cold_data moves rows neither written nor returned for this long (24 h)
 * @param verifyMinGain            verified by the factor only when λ also rose by at least this much (0.05):
 *                                 near the floor (capacities clamp at 0.01) a ratio of 1.1 is noise
 * @param memoryBudgetBytes        the index's memory budget for memory pressure; 0 = the runtime's (its
 *                                 {@code --memory-budget-mb}, else the JVM's max heap)
 */
public record HealingSettings(boolean enabled, long minIntervalMillis, int maxAttemptsPerWindow, long attemptWindowMillis,
                              double maxAutoHealImpact, Set<String> requireApproval, Set<String> disabledProblemClasses,
                              boolean learningEnabled, long stabilisationMillis, double verifyFactor,
                              long sampleFreshnessMillis, long effectMillis, int stopAfterUnverified,
                              double stressAdmitFraction, double criticalAdmitFraction, long evictIdleMillis,
                              long memoryBudgetBytes, double verifyMinGain) {

    public static final HealingSettings DEFAULTS = new HealingSettings(true, 300_000, 3, 3_600_000, 0.5,
            Set.of(Strategies.SCALE_REPLICAS), Set.of(), true, 30_000, 1.1, 30_000, 600_000, 2, 0.5, 0.1, 86_400_000, 0, 0.05);

    public HealingSettings {
        requireApproval = Set.copyOf(Objects.requireNonNull(requireApproval, "requireApproval"));
        disabledProblemClasses = Set.copyOf(Objects.requireNonNull(disabledProblemClasses, "disabledProblemClasses"));
        check(minIntervalMillis >= 0, "min_healing_interval_seconds", "must be >= 0");
        check(maxAttemptsPerWindow >= 1, "max_attempts_per_hour", "must be >= 1");
        check(attemptWindowMillis >= 1000, "attempt_window_seconds", "must be >= 1");
        check(maxAutoHealImpact >= 0 && maxAutoHealImpact <= 1, "max_auto_heal_impact", "must be in [0, 1]");
        check(stabilisationMillis >= 0, "stabilisation_seconds", "must be >= 0");
        check(verifyFactor >= 1 && verifyFactor <= 10, "verify_factor", "must be in [1, 10]");
        check(sampleFreshnessMillis >= 1000, "sample_freshness_seconds", "must be >= 1");
        check(effectMillis >= 1000, "effect_seconds", "must be >= 1");
        check(stopAfterUnverified >= 1, "stop_after_unverified", "must be >= 1");
        check(stressAdmitFraction > 0 && stressAdmitFraction <= 1, "stress_admit_fraction", "must be in (0, 1]");
        check(criticalAdmitFraction > 0 && criticalAdmitFraction <= 1, "critical_admit_fraction", "must be in (0, 1]");
        check(evictIdleMillis >= 0, "evict_idle_seconds", "must be >= 0");
        check(memoryBudgetBytes >= 0, "memory_budget_mb", "must be >= 0 (0 = the runtime's budget)");
        check(verifyMinGain >= 0 && verifyMinGain <= 1, "verify_min_gain", "must be in [0, 1]");
        for (String s : requireApproval) {
            check(Strategies.ALL.contains(s), "require_approval_strategies", "unknown strategy '" + s + "'");
        }
    }

    /** The names {@link #withOverrides} accepts (snake_case, as in the HTTP API and the CLI). */
    public static final Set<String> SETTING_NAMES = Set.of("enabled", "min_healing_interval_seconds",
            "max_attempts_per_hour", "attempt_window_seconds", "max_auto_heal_impact", "require_approval_strategies",
            "disabled_problem_classes", "learning_enabled", "stabilisation_seconds", "verify_factor",
            "sample_freshness_seconds", "effect_seconds", "stop_after_unverified", "stress_admit_fraction",
            "critical_admit_fraction", "evict_idle_seconds", "memory_budget_mb", "verify_min_gain");

    /**
     * These settings with {@code overrides} (setting name → text) applied.
     *
     * @throws IllegalArgumentException naming the setting, for an unknown name or a bad value
     */
    public HealingSettings withOverrides(Map<String, String> overrides) {
        HealingSettings s = this;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(overrides).entrySet()) {
            String name = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue().trim();
            s = switch (name) {
                case "enabled" -> s.copy(m -> m.put("enabled", bool(name, v)));
                case "min_healing_interval_seconds" -> s.copy(m -> m.put("minIntervalMillis", seconds(name, v)));
                case "max_attempts_per_hour" -> s.copy(m -> m.put("maxAttemptsPerWindow", integer(name, v)));
                case "attempt_window_seconds" -> s.copy(m -> m.put("attemptWindowMillis", seconds(name, v)));
                case "max_auto_heal_impact" -> s.copy(m -> m.put("maxAutoHealImpact", number(name, v)));
                case "require_approval_strategies" -> s.copy(m -> m.put("requireApproval", list(v)));
                case "disabled_problem_classes" -> s.copy(m -> m.put("disabledProblemClasses", list(v)));
                case "learning_enabled" -> s.copy(m -> m.put("learningEnabled", bool(name, v)));
                case "stabilisation_seconds" -> s.copy(m -> m.put("stabilisationMillis", seconds(name, v)));
                case "verify_factor" -> s.copy(m -> m.put("verifyFactor", number(name, v)));
                case "sample_freshness_seconds" -> s.copy(m -> m.put("sampleFreshnessMillis", seconds(name, v)));
                case "effect_seconds" -> s.copy(m -> m.put("effectMillis", seconds(name, v)));
                case "stop_after_unverified" -> s.copy(m -> m.put("stopAfterUnverified", integer(name, v)));
                case "stress_admit_fraction" -> s.copy(m -> m.put("stressAdmitFraction", number(name, v)));
                case "critical_admit_fraction" -> s.copy(m -> m.put("criticalAdmitFraction", number(name, v)));
                case "evict_idle_seconds" -> s.copy(m -> m.put("evictIdleMillis", seconds(name, v)));
                case "memory_budget_mb" -> s.copy(m -> m.put("memoryBudgetBytes", megabytes(name, v)));
                case "verify_min_gain" -> s.copy(m -> m.put("verifyMinGain", number(name, v)));
                default -> throw new IllegalArgumentException("unknown healing setting '" + name + "'; known: "
                        + new TreeSet<>(SETTING_NAMES));
            };
        }
        return s;
    }

    /** The settings as the API shows them (setting name → value). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", enabled);
        m.put("min_healing_interval_seconds", minIntervalMillis / 1000.0);
        m.put("max_attempts_per_hour", maxAttemptsPerWindow);
        m.put("attempt_window_seconds", attemptWindowMillis / 1000.0);
        m.put("max_auto_heal_impact", maxAutoHealImpact);
        m.put("require_approval_strategies", new TreeSet<>(requireApproval));
        m.put("disabled_problem_classes", new TreeSet<>(disabledProblemClasses));
        m.put("learning_enabled", learningEnabled);
        m.put("stabilisation_seconds", stabilisationMillis / 1000.0);
        m.put("verify_factor", verifyFactor);
        m.put("sample_freshness_seconds", sampleFreshnessMillis / 1000.0);
        m.put("effect_seconds", effectMillis / 1000.0);
        m.put("stop_after_unverified", stopAfterUnverified);
        m.put("stress_admit_fraction", stressAdmitFraction);
        m.put("critical_admit_fraction", criticalAdmitFraction);
        m.put("evict_idle_seconds", evictIdleMillis / 1000.0);
        m.put("memory_budget_mb", memoryBudgetBytes / 1e6);
        m.put("verify_min_gain", verifyMinGain);
        return m;
    }

    private HealingSettings copy(java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", enabled);
        m.put("minIntervalMillis", minIntervalMillis);
        m.put("maxAttemptsPerWindow", maxAttemptsPerWindow);
        m.put("attemptWindowMillis", attemptWindowMillis);
        m.put("maxAutoHealImpact", maxAutoHealImpact);
        m.put("requireApproval", requireApproval);
        m.put("disabledProblemClasses", disabledProblemClasses);
        m.put("learningEnabled", learningEnabled);
        m.put("stabilisationMillis", stabilisationMillis);
        m.put("verifyFactor", verifyFactor);
        m.put("sampleFreshnessMillis", sampleFreshnessMillis);
        m.put("effectMillis", effectMillis);
        m.put("stopAfterUnverified", stopAfterUnverified);
        m.put("stressAdmitFraction", stressAdmitFraction);
        m.put("criticalAdmitFraction", criticalAdmitFraction);
        m.put("evictIdleMillis", evictIdleMillis);
        m.put("memoryBudgetBytes", memoryBudgetBytes);
        m.put("verifyMinGain", verifyMinGain);
        change.accept(m);
        @SuppressWarnings("unchecked")
        Function<String, Set<String>> set = k -> (Set<String>) m.get(k);
        return new HealingSettings((Boolean) m.get("enabled"), (Long) m.get("minIntervalMillis"),
                (Integer) m.get("maxAttemptsPerWindow"), (Long) m.get("attemptWindowMillis"),
                (Double) m.get("maxAutoHealImpact"), set.apply("requireApproval"), set.apply("disabledProblemClasses"),
                (Boolean) m.get("learningEnabled"), (Long) m.get("stabilisationMillis"), (Double) m.get("verifyFactor"),
                (Long) m.get("sampleFreshnessMillis"), (Long) m.get("effectMillis"), (Integer) m.get("stopAfterUnverified"),
                (Double) m.get("stressAdmitFraction"), (Double) m.get("criticalAdmitFraction"),
                (Long) m.get("evictIdleMillis"), (Long) m.get("memoryBudgetBytes"), (Double) m.get("verifyMinGain"));
    }

    private static boolean bool(String name, String v) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException(name + " must be true or false, was '" + v + "'");
    }

    private static long seconds(String name, String v) {
        double d = number(name, v);
        if (d < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + v);
        }
        return Math.round(d * 1000);
    }

    private static long megabytes(String name, String v) {
        double d = number(name, v);
        if (d < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + v);
        }
        return Math.round(d * 1e6);
    }

    private static int integer(String name, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + v + "'");
        }
    }

    private static double number(String name, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + v + "'");
        }
    }

    private static Set<String> list(String v) {
        return v.isEmpty() ? Set.of() : Set.copyOf(Arrays.stream(v.split(",")).map(String::trim)
                .filter(x -> !x.isEmpty()).toList());
    }

    private static void check(boolean ok, String name, String message) {
        if (!ok) {
            throw new IllegalArgumentException(name + " " + message);
        }
    }
}
