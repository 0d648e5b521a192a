package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.healing.HealingService;
import io.ruvector.healing.HealingStatus;
import io.ruvector.healing.engine.Decision;
import io.ruvector.healing.engine.Remediation;
import io.ruvector.healing.learn.StrategyEffectiveness;
import io.ruvector.healing.strategy.StrategyDescriptor;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.HealingOutcome;
import io.ruvector.schemas.HealingRequestType;
import io.ruvector.schemas.WitnessEdge;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The healing surface: status, history, effectiveness, strategies, and the operator's requests
 * (trigger, execute with dry run, approve, abort, rollback, configure). Requests travel to the
 * engine over its requests topic; the answer is the engine's decision (200), or 202 when it did
 * not decide within a few seconds. {@code ?tenant=} selects a tenant.
 */
final class HealingHandler {

    private static final Duration DECISION_WAIT = Duration.ofSeconds(5);

    record Edge(String sourceType, String sourceId, String targetType, String targetId, String edgeType, double capacity) {
        static Edge of(WitnessEdge e) {
            return new Edge(e.getSourceType(), e.getSourceId(), e.getTargetType(), e.getTargetId(),
                    e.getEdgeType().name().toLowerCase(), e.getCapacity());
        }
    }

    record Active(String id, String problemClass, Map<String, String> evidence, String strategy, Map<String, String> params,
                  String trigger, boolean dryRun, String phase, long startedAtMillis, long phaseSinceMillis,
                  Long deadlineMillis, double lambdaBefore) {
        static Active of(Remediation r) {
            return r == null ? null : new Active(r.id(), r.problemClass(), r.evidence(), r.strategy(), r.params(),
                    r.trigger(), r.dryRun(), r.phase().name().toLowerCase(), r.startedAtMillis(), r.phaseSinceMillis(),
                    r.deadlineMillis() == Long.MAX_VALUE ? null : r.deadlineMillis(), r.lambdaBefore());
        }
    }

    record Outcome(String id, String collection, String tenant, String problemClass, Map<String, String> evidence,
                   String strategy, Map<String, String> params, String trigger, boolean dryRun, long startedAtMillis,
                   long completedAtMillis, long durationMillis, boolean success, boolean verified, boolean rolledBack,
                   double lambdaBefore, Double lambdaAfter, double improvement, List<Edge> witnessEdges, String error,
                   String signerId) {
        static Outcome of(HealingOutcome o) {
            return o == null ? null : new Outcome(o.getOutcomeId(), o.getCollection(), o.getTenant(), o.getProblemClass(),
                    o.getEvidence(), o.getStrategy(), o.getParams(), o.getTrigger(), o.getDryRun(), o.getStartedAtMillis(),
                    o.getCompletedAtMillis(), o.getDurationMillis(), o.getSuccess(), o.getVerified(), o.getRolledBack(),
                    o.getLambdaBefore(), o.getLambdaAfter(), o.getImprovement(),
                    o.getWitnessEdges().stream().map(Edge::of).toList(), o.getError(), o.getSignerId());
        }
    }

    record Status(String scope, boolean enabled, Map<String, Object> settings, Active active, int attemptsInWindow,
                  Long cooldownUntilMillis, boolean suspended, String lastDecision, Long lastDecisionMillis,
                  Outcome lastOutcome, int outcomes24h, int verified24h, double successRate24h) {
        static Status of(HealingStatus s) {
            return new Status(s.scope(), s.settings().enabled(), s.settings().asMap(), Active.of(s.active()),
                    s.attemptsInWindow(), s.cooldownUntilMillis() == 0 ? null : s.cooldownUntilMillis(), s.suspended(),
                    s.lastDecision(), s.lastDecisionMillis() == 0 ? null : s.lastDecisionMillis(),
                    Outcome.of(s.lastOutcome()), s.outcomes24h(), s.verified24h(), s.successRate24h());
        }
    }

    record Strategy(String name, List<String> handles, double impact, boolean reversible, long estimatedSeconds,
                    boolean requiresApproval, boolean available, String unavailableReason, double weight) {
    }

    record Answer(String requestId, String scope, String decision, String actionId, boolean decided) {
    }

    record ExecuteBody(String strategy, Map<String, String> params, Boolean dryRun) {
    }

    record ActionBody(String actionId) {
    }

    private final CollectionsHandler collections;
    private final EmbeddedRuntime runtime;
    private final long maxBodyBytes;

    HealingHandler(CollectionsHandler collections, EmbeddedRuntime runtime, long maxBodyBytes) {
        this.collections = Objects.requireNonNull(collections, "collections");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.maxBodyBytes = maxBodyBytes;
    }

    /** {@code GET /v1/collections/{c}/healing}. */
    void status(HttpExchange exchange, String name) throws IOException {
        CollectionSpec spec = collections.require(name);
        Exchanges.send(exchange, 200, Status.of(healing().status(spec.getName(), IntegrityHandler.query(exchange, "tenant"))));
    }

    /** {@code GET /v1/healing}: every scope the engine knows, the deployment settings and the strategies. */
    void overview(HttpExchange exchange) throws IOException {
        HealingService h = healing();
        List<Status> scopes = h.scopes().stream().map(scope -> {
            int slash = scope.indexOf('/');
            return Status.of(h.status(slash < 0 ? scope : scope.substring(0, slash), slash < 0 ? null : scope.substring(slash + 1)));
        }).toList();
        Exchanges.send(exchange, 200, Map.of("settings", h.effectiveSettings("*").asMap(), "scopes", scopes,
                "strategies", strategies(h)));
    }

    /** {@code GET /v1/collections/{c}/healing/history?since_ms=&limit=}. */
    void history(HttpExchange exchange, String name) throws IOException {
        CollectionSpec spec = collections.require(name);
        long since = longParam(exchange, "since_ms", System.currentTimeMillis() - Duration.ofDays(1).toMillis());
        int limit = (int) longParam(exchange, "limit", 20);
        if (limit < 1 || limit > 1000) {
            throw ApiException.badRequest("invalid_parameter", "limit must be in 1..1000, was " + limit);
        }
        List<Outcome> outcomes = healing().history(spec.getName(), IntegrityHandler.query(exchange, "tenant"), since, limit)
                .stream().map(Outcome::of).toList();
        Exchanges.send(exchange, 200, Map.of("collection", spec.getName(), "outcomes", outcomes));
    }

    /** {@code GET /v1/healing/effectiveness}. */
    void effectiveness(HttpExchange exchange) throws IOException {
        List<StrategyEffectiveness> rows = healing().effectiveness().effectiveness(System.currentTimeMillis());
        Exchanges.send(exchange, 200, Map.of("strategies", rows));
    }

    /** {@code GET /v1/healing/strategies}. */
    void strategies(HttpExchange exchange) throws IOException {
        Exchanges.send(exchange, 200, Map.of("strategies", strategies(healing())));
    }

    private static List<Strategy> strategies(HealingService h) {
        var learner = h.effectiveness();
        return h.strategies().all().stream().map((StrategyDescriptor s) -> new Strategy(s.name(),
                s.handles().stream().sorted().toList(), s.impact(), s.reversible(), s.estimatedDuration().toSeconds(),
                s.requiresApproval(), s.available(), s.unavailableReason(), learner.weight(s.name()))).toList();
    }

    /** {@code PUT /v1/collections/{c}/healing/config} (or {@code /v1/healing/config} with name "*"). */
    void configure(HttpExchange exchange, String name) throws IOException, InterruptedException {
        String collection = name.equals("*") ? "*" : collections.require(name).getName();
        @SuppressWarnings("unchecked")
        Map<String, Object> body = Exchanges.readBody(exchange, Map.class, maxBodyBytes);
        Map<String, String> settings = new java.util.TreeMap<>();
        body.forEach((k, v) -> settings.put(k, v instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(v)));
        try {
            healing().config().settings().withOverrides(settings);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_setting", e.getMessage());
        }
        answer(exchange, collection, null, HealingRequestType.CONFIGURE, null, settings, false, null);
    }

    /** {@code POST /v1/collections/{c}/healing/{trigger|execute|approve|abort|rollback}}. */
    void request(HttpExchange exchange, String name, String action) throws IOException, InterruptedException {
        CollectionSpec spec = collections.require(name);
        String tenant = IntegrityHandler.query(exchange, "tenant");
        switch (action) {
            case "trigger" -> answer(exchange, spec.getName(), tenant, HealingRequestType.TRIGGER, null, Map.of(), false, null);
            case "rollback" -> answer(exchange, spec.getName(), tenant, HealingRequestType.ROLLBACK, null, Map.of(), false, null);
            case "execute" -> {
                ExecuteBody body = Exchanges.readBody(exchange, ExecuteBody.class, maxBodyBytes);
                if (body.strategy() == null || body.strategy().isBlank()) {
                    throw ApiException.badRequest("missing_field", "strategy is required, e.g. {\"strategy\": \"compact_indexes\"}");
                }
                if (healing().strategies().byName(body.strategy()).isEmpty()) {
                    throw ApiException.badRequest("unknown_strategy", "unknown strategy '" + body.strategy() + "'");
                }
                answer(exchange, spec.getName(), tenant, HealingRequestType.EXECUTE, body.strategy(),
                        body.params() == null ? Map.of() : body.params(), Boolean.TRUE.equals(body.dryRun()), null);
            }
            case "approve", "abort" -> {
                ActionBody body = Exchanges.readBody(exchange, ActionBody.class, maxBodyBytes);
                if (body.actionId() == null || body.actionId().isBlank()) {
                    throw ApiException.badRequest("missing_field", "action_id is required");
                }
                answer(exchange, spec.getName(), tenant, action.equals("approve") ? HealingRequestType.APPROVE
                        : HealingRequestType.ABORT, null, Map.of(), false, body.actionId());
            }
            default -> throw ApiException.notFound("not_found", "no healing action '" + action
                    + "'; use trigger, execute, approve, abort or rollback");
        }
    }

    private void answer(HttpExchange exchange, String collection, String tenant, HealingRequestType type, String strategy,
                        Map<String, String> params, boolean dryRun, String actionId) throws IOException, InterruptedException {
        HealingService h = healing();
        Optional<Decision> decision = h.submit(collection, tenant, type, strategy, params, dryRun, actionId, DECISION_WAIT);
        String scope = tenant == null ? collection : collection + "/" + tenant;
        Exchanges.send(exchange, decision.isPresent() ? 200 : 202, decision
                .map(d -> new Answer(d.requestId(), d.scope(), d.decision(), d.actionId(), true))
                .orElseGet(() -> new Answer(null, scope, "accepted; the engine has not decided yet", actionId, false)));
    }

    private HealingService healing() {
        HealingService h;
        try {
            h = runtime.healing();
        } catch (io.ruvector.compose.runtime.PartStarting e) {
            throw ApiException.starting(e);
        }
        if (!h.isReady()) {
            throw new ApiException(503, "healing_starting", "the healing engine is starting").retryAfter(2);
        }
        return h;
    }

    private static long longParam(HttpExchange exchange, String name, long fallback) {
        String v = IntegrityHandler.query(exchange, name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_parameter", name + " must be a whole number, was '" + v + "'");
        }
    }
}
