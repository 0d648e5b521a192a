package io.ruvector.healing.engine.internal;

import io.ruvector.healing.engine.Decision;
import io.ruvector.healing.engine.HealingSettings;
import io.ruvector.healing.engine.HealingTopology;
import io.ruvector.healing.engine.RemediationEngine;
import io.ruvector.healing.engine.ScopeRecord;
import io.ruvector.healing.learn.OutcomeRecord;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.HealingOutcome;
import io.ruvector.schemas.HealingRequest;
import io.ruvector.schemas.HealingRequestType;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.RemediationCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts the {@link RemediationEngine} to Kafka Streams: loads and saves each scope's record,
 * forwards commands and outcomes, keeps outcomes and request decisions for the API, and ticks the
 * engine on wall-clock time. On start it re-learns the strategy weights from the stored outcomes,
 * so weights survive restarts without a store of their own.
 */
public final class HealingProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(HealingProcessor.class);
    /** The key of the deployment-wide overrides (CONFIGURE with collection "*"). */
    public static final String GLOBAL = "*";
    private static final long OUTCOME_RETENTION_MILLIS = Duration.ofDays(30).toMillis();
    private static final long DECISION_RETENTION_MILLIS = Duration.ofHours(1).toMillis();
    private static final int OUTCOMES_PER_SCOPE = 500;

    private final RemediationEngine engine;
    private final HealingSettings defaults;
    private final Duration tick;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ScopeRecord> scopes;
    private KeyValueStore<String, IntegrityState> integrity;
    private KeyValueStore<String, HealingOutcome> outcomes;
    private KeyValueStore<String, Decision> decisions;

    public HealingProcessor(RemediationEngine engine, HealingSettings defaults, Duration tick) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.tick = Objects.requireNonNull(tick, "tick");
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        scopes = context.getStateStore(HealingTopology.SCOPES_STORE);
        integrity = context.getStateStore(HealingTopology.INTEGRITY_STORE);
        outcomes = context.getStateStore(HealingTopology.OUTCOMES_STORE);
        decisions = context.getStateStore(HealingTopology.DECISIONS_STORE);
        long now = context.currentSystemTimeMs();
        try (KeyValueIterator<String, HealingOutcome> it = outcomes.all()) {
            while (it.hasNext()) {
                HealingOutcome o = it.next().value;
                if (o != null && !o.getDryRun() && o.getCompletedAtMillis() > now - OUTCOME_RETENTION_MILLIS) {
                    engine.learner().record(OutcomeRecord.from(o));
                }
            }
        }
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::onTick);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        long now = context.currentSystemTimeMs();
        switch (record.value()) {
            case IntegrityState state -> {
                integrity.put(state.getScope(), state);
                update(state.getScope(), rec -> engine.onState(rec, state, settings(rec.scope()), now, effects(now)));
            }
            case CommandAck ack -> update(scope(ack.getCollection(), ack.getTenant()),
                    rec -> engine.onAck(rec, ack, settings(rec.scope()), now, effects(now)));
            case HealingRequest request -> onRequest(request, now);
            case null -> { }
            default -> LOG.debug("ignoring a {} on the healing inputs", record.value().getClass().getSimpleName());
        }
    }

    private void onRequest(HealingRequest request, long now) {
        String scope = request.getCollection().equals(GLOBAL) ? GLOBAL : scope(request.getCollection(), request.getTenant());
        ScopeRecord before = load(scope);
        ScopeRecord after;
        if (request.getType() == HealingRequestType.CONFIGURE) {
            Map<String, String> merged = new HashMap<>(before.overrides());
            merged.putAll(request.getParams());
            try {
                defaults.withOverrides(merged); // validated by the API already; a bad one must not poison the scope
                after = before.configured(merged, "configured " + request.getParams(), now);
            } catch (IllegalArgumentException e) {
                after = before.configured(before.overrides(), "configure refused: " + e.getMessage(), now);
            }
        } else {
            after = engine.onRequest(before, request, integrity.get(scope), settings(scope), now, effects(now));
        }
        scopes.put(scope, after);
        String actionId = after.active() != null ? after.active().id() : request.getActionId();
        decisions.put(request.getRequestId(), new Decision(request.getRequestId(), scope,
                Objects.requireNonNullElse(after.lastDecision(), "no change"), actionId, now));
    }

    private void onTick(long now) {
        List<ScopeRecord> active = new ArrayList<>();
        try (KeyValueIterator<String, ScopeRecord> it = scopes.all()) {
            while (it.hasNext()) {
                ScopeRecord rec = it.next().value;
                if (rec != null && rec.active() != null) {
                    active.add(rec);
                }
            }
        }
        for (ScopeRecord rec : active) {
            ScopeRecord next = engine.onTick(rec, integrity.get(rec.scope()), settings(rec.scope()), now, effects(now));
            if (!next.equals(rec)) {
                scopes.put(rec.scope(), next);
            }
        }
        engine.learner().prune(now);
        prune(now);
    }

    /** Drops outcomes older than 30 days (or beyond the newest 500 of a scope) and old decisions. */
    private void prune(long now) {
        List<String> drop = new ArrayList<>();
        Map<String, Integer> perScope = new HashMap<>();
        try (KeyValueIterator<String, HealingOutcome> it = outcomes.reverseAll()) {
            while (it.hasNext()) {
                KeyValue<String, HealingOutcome> kv = it.next();
                String scope = kv.key.substring(0, kv.key.indexOf('|'));
                int n = perScope.merge(scope, 1, Integer::sum);
                if (n > OUTCOMES_PER_SCOPE || kv.value == null
                        || kv.value.getCompletedAtMillis() < now - OUTCOME_RETENTION_MILLIS) {
                    drop.add(kv.key);
                }
            }
        }
        try (KeyValueIterator<String, Decision> it = decisions.all()) {
            while (it.hasNext()) {
                KeyValue<String, Decision> kv = it.next();
                if (kv.value == null || kv.value.atMillis() < now - DECISION_RETENTION_MILLIS) {
                    drop.add("decision:" + kv.key);
                }
            }
        }
        for (String key : drop) {
            if (key.startsWith("decision:")) {
                decisions.delete(key.substring("decision:".length()));
            } else {
                outcomes.delete(key);
            }
        }
    }

    private void update(String scope, java.util.function.UnaryOperator<ScopeRecord> step) {
        ScopeRecord before = load(scope);
        ScopeRecord after = step.apply(before);
        if (!after.equals(before)) {
            scopes.put(scope, after);
        }
    }

    private ScopeRecord load(String scope) {
        ScopeRecord rec = scopes.get(scope);
        return rec != null ? rec : ScopeRecord.empty(scope);
    }

    /** Defaults, then the deployment-wide overrides, then the collection's, then the tenant's. */
    private HealingSettings settings(String scope) {
        HealingSettings s = defaults.withOverrides(load(GLOBAL).overrides());
        if (scope.equals(GLOBAL)) {
            return s;
        }
        int slash = scope.indexOf('/');
        String collection = slash < 0 ? scope : scope.substring(0, slash);
        s = s.withOverrides(load(collection).overrides());
        return slash < 0 ? s : s.withOverrides(load(scope).overrides());
    }

    private RemediationEngine.Effects effects(long now) {
        return new RemediationEngine.Effects() {
            @Override
            public void command(RemediationCommand command) {
                context.forward(new Record<String, SpecificRecord>(command.getCollection(), command, now),
                        HealingTopology.COMMANDS_SINK);
            }

            @Override
            public void outcome(HealingOutcome outcome) {
                String scope = scope(outcome.getCollection(), outcome.getTenant());
                outcomes.put(HealingTopology.outcomeKey(scope, outcome.getCompletedAtMillis(), outcome.getOutcomeId()),
                        outcome);
                context.forward(new Record<String, SpecificRecord>(outcome.getCollection(), outcome, now),
                        HealingTopology.OUTCOMES_SINK);
            }
        };
    }

    static String scope(String collection, String tenant) {
        return tenant == null ? collection : collection + "/" + tenant;
    }
}
