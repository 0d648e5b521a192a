package io.ruvector.compose.http;

import com.sun.net.httpserver.HttpExchange;
import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.integrity.gate.Operation;
import io.ruvector.integrity.topology.IntegritySettings;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.EffectiveIntegrityPolicy;
import io.ruvector.schemas.GateRule;
import io.ruvector.schemas.IntegrityPolicy;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.WitnessEdge;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The integrity surface of a collection: {@code GET …/integrity} (state, λ, witness edges,
 * transitions), {@code PUT …/integrity/policy} (validated overrides, published on the policies
 * topic) and {@code GET …/gate?op=} (what a writer should do now). {@code ?tenant=} selects a
 * tenant. States come from the state topic, so every instance answers for every collection.
 */
final class IntegrityHandler {

    record Edge(String sourceType, String sourceId, String targetType, String targetId, String edgeType, double capacity) {
    }

    record Transition(String from, String to, long atMillis, double lambda, String cause) {
    }

    record Gate(String risk, String action, double admitFraction, long deferMillis) {
    }

    record Integrity(String collection, String tenant, boolean evaluated, String state, Double lambda, Double lambdaCut,
                     Double lambda2, List<Edge> witnessEdges, Long sinceMillis, Long lastSampleMillis, Integer nodeCount,
                     Integer edgeCount, Map<String, Object> policy, List<Gate> gates, List<Transition> transitions) {
    }

    record GateAnswer(String collection, String tenant, String op, String risk, String state, String decision,
                      double admitFraction, long retryAfterSeconds) {
    }

    /** Body of the policy PUT: every field optional, a missing one keeps the default. */
    record PolicyBody(Double thresholdHigh, Double thresholdLow, Integer samplesToStress, Integer samplesToCritical,
                      Long recoveryHoldSeconds, Double recoveryMargin, Long cooldownSeconds, Long lagBudgetRecords,
                      Long lagBudgetMillis, Long latencyBudgetMicros, Long standbyLagBudgetRecords, Double errorRateBudget,
                      Double loadSkewBudget, String updatedBy) {
    }

    private final CollectionsHandler collections;
    private final EmbeddedRuntime runtime;
    private final long maxBodyBytes;

    IntegrityHandler(CollectionsHandler collections, EmbeddedRuntime runtime, long maxBodyBytes) {
        this.collections = Objects.requireNonNull(collections, "collections");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.maxBodyBytes = maxBodyBytes;
    }

    void integrity(HttpExchange exchange, String name) throws IOException {
        CollectionSpec spec = collections.require(name);
        String tenant = query(exchange, "tenant");
        Optional<IntegrityState> state = runtime.integrityView().state(spec.getName(), tenant);
        Exchanges.send(exchange, 200, state.map(IntegrityHandler::view).orElseGet(() -> new Integrity(spec.getName(), tenant,
                false, null, null, null, null, List.of(), null, null, null, null, null, List.of(), List.of())));
    }

    /** {@code GET …/integrity/history}: λ and state per evaluation, oldest first (what /ui draws). */
    void history(HttpExchange exchange, String name) throws IOException {
        CollectionSpec spec = collections.require(name);
        String tenant = query(exchange, "tenant");
        List<HistoryPoint> points = runtime.integrityView().history(spec.getName(), tenant).stream()
                .map(p -> new HistoryPoint(p.atMillis(), p.lambda(), p.state().name().toLowerCase(java.util.Locale.ROOT))).toList();
        Exchanges.send(exchange, 200, new History(spec.getName(), tenant, points));
    }

    record HistoryPoint(long atMillis, double lambda, String state) {
    }

    record History(String collection, String tenant, List<HistoryPoint> points) {
    }

    void gate(HttpExchange exchange, String name) throws IOException {
        CollectionSpec spec = collections.require(name);
        String op = query(exchange, "op");
        if (op == null || op.isBlank()) {
            throw ApiException.badRequest("missing_parameter", "op is required, e.g. ?op=bulk_insert");
        }
        String tenant = query(exchange, "tenant");
        Operation operation = Operation.parse(op);
        Optional<IntegrityState> state = runtime.integrityView().state(spec.getName(), tenant)
                .or(() -> runtime.integrityView().state(spec.getName(), null));
        Optional<GateRule> rule = state.flatMap(s -> s.getGates().stream().filter(g -> g.getRisk() == operation.risk()).findFirst());
        String decision = rule.map(r -> r.getAction().name().toLowerCase()).orElse("allow");
        Exchanges.send(exchange, 200, new GateAnswer(spec.getName(), tenant, op, operation.risk().name().toLowerCase(),
                state.map(s -> s.getState().name().toLowerCase()).orElse("normal"), decision,
                rule.map(GateRule::getAdmitFraction).orElse(1.0),
                rule.map(r -> (r.getDeferMillis() + 999) / 1000).orElse(0L)));
    }

    void putPolicy(HttpExchange exchange, String name) throws IOException, InterruptedException {
        CollectionSpec spec = collections.require(name);
        String tenant = query(exchange, "tenant");
        PolicyBody body = Exchanges.readBody(exchange, PolicyBody.class, maxBodyBytes);
        IntegrityPolicy policy = IntegrityPolicy.newBuilder()
                .setCollection(spec.getName()).setTenant(tenant)
                .setThresholdHigh(body.thresholdHigh()).setThresholdLow(body.thresholdLow())
                .setSamplesToStress(body.samplesToStress()).setSamplesToCritical(body.samplesToCritical())
                .setRecoveryHoldSeconds(body.recoveryHoldSeconds()).setRecoveryMargin(body.recoveryMargin())
                .setCooldownSeconds(body.cooldownSeconds()).setLagBudgetRecords(body.lagBudgetRecords())
                .setLagBudgetMillis(body.lagBudgetMillis()).setLatencyBudgetMicros(body.latencyBudgetMicros())
                .setStandbyLagBudgetRecords(body.standbyLagBudgetRecords()).setErrorRateBudget(body.errorRateBudget())
                .setLoadSkewBudget(body.loadSkewBudget())
                .setUpdatedAtMillis(System.currentTimeMillis()).setUpdatedBy(body.updatedBy())
                .build();
        try { // the same checks the integrity application applies: a policy it would ignore is refused here
            IntegritySettings.DEFAULTS.hysteresis().withOverrides(policy);
            IntegritySettings.DEFAULTS.budgets().withOverrides(policy);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_policy", e.getMessage());
        }
        runtime.publishPolicy(policy);
        Map<String, Object> stored = new java.util.LinkedHashMap<>();
        policy.getSchema().getFields().forEach(f -> {
            Object value = policy.get(f.pos());
            if (value != null) {
                stored.put(snakeCase(f.name()), value);
            }
        });
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("collection", spec.getName());
        answer.put("tenant", tenant);
        answer.put("policy", stored);
        answer.put("detail", "published; the integrity application applies it at the collection's next evaluation");
        Exchanges.send(exchange, 200, answer);
    }

    private static Integrity view(IntegrityState s) {
        EffectiveIntegrityPolicy p = s.getPolicy();
        Map<String, Object> policy = new java.util.LinkedHashMap<>();
        p.getSchema().getFields().forEach(f -> policy.put(snakeCase(f.name()), p.get(f.pos())));
        return new Integrity(s.getCollection(), s.getTenant(), true, s.getState().name().toLowerCase(), s.getLambda(),
                s.getLambdaCut(), s.getLambda2(),
                s.getWitnessEdges().stream().map(IntegrityHandler::edge).toList(), s.getSinceMillis(), s.getLastSampleMillis(),
                s.getNodeCount(), s.getEdgeCount(), policy,
                s.getGates().stream().map(g -> new Gate(g.getRisk().name().toLowerCase(), g.getAction().name().toLowerCase(),
                        g.getAdmitFraction(), g.getDeferMillis())).toList(),
                s.getTransitions().stream().map(t -> new Transition(t.getFrom().name().toLowerCase(),
                        t.getTo().name().toLowerCase(), t.getAtMillis(), t.getLambda(), t.getCause())).toList());
    }

    /** {@code recoveryHoldSeconds} → {@code recovery_hold_seconds}: the API's JSON names are snake_case. */
    static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Edge edge(WitnessEdge e) {
        return new Edge(e.getSourceType(), e.getSourceId(), e.getTargetType(), e.getTargetId(),
                e.getEdgeType().name().toLowerCase(), e.getCapacity());
    }

    /** A query parameter, percent-decoded, or null. */
    static String query(HttpExchange exchange, String name) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
