package io.ruvector.healing;

import io.ruvector.healing.classify.ProblemClassifier;
import io.ruvector.healing.engine.Decision;
import io.ruvector.healing.engine.HealingSettings;
import io.ruvector.healing.engine.HealingTopology;
import io.ruvector.healing.engine.LatestSamples;
import io.ruvector.healing.engine.RemediationEngine;
import io.ruvector.healing.engine.SampleFeed;
import io.ruvector.healing.engine.ScopeRecord;
import io.ruvector.healing.engine.internal.HealingProcessor;
import io.ruvector.healing.learn.OutcomeRecord;
import io.ruvector.healing.learn.WeightLearner;
import io.ruvector.healing.strategy.StrategyRegistry;
import io.ruvector.schemas.HealingOutcome;
import io.ruvector.schemas.HealingRequest;
import io.ruvector.schemas.HealingRequestType;
import io.ruvector.schemas.registry.SchemaRegistry;
import io.ruvector.schemas.serde.AvroSerde;
import io.ruvector.schemas.signing.RecordSigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The healing application and its Java API for the HTTP layer and the CLI: status, history,
 * effectiveness, strategies, and operator requests (trigger, execute, approve, abort, rollback,
 * configure), which travel over {@code ruvector.healing.requests} to the engine's task and are
 * answered with the engine's decision. Thread-safe.
 */
public final class HealingService implements AutoCloseable {

    private final HealingConfig config;
    private final KafkaStreams streams;
    private final SampleFeed feed;
    private final Producer<String, HealingRequest> requests;
    private final StrategyRegistry registry;

    private HealingService(HealingConfig config, KafkaStreams streams, SampleFeed feed,
                           Producer<String, HealingRequest> requests, StrategyRegistry registry) {
        this.config = config;
        this.streams = streams;
        this.feed = feed;
        this.requests = requests;
        this.registry = registry;
    }

    /** Builds and starts the healing application; the registry stays the caller's. */
    public static HealingService start(HealingConfig config, SchemaRegistry registry, RecordSigner signer) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(signer, "signer");
        LatestSamples samples = new LatestSamples();
        StrategyRegistry strategies = StrategyRegistry.defaults(config.availableStrategies());
        RemediationEngineFactory engines = new RemediationEngineFactory(config, strategies, samples, signer);
        KafkaStreams streams = new KafkaStreams(HealingTopology.build(config.topics(), registry, config.settings(),
                engines::create, config.tick()), config.toProperties());
        SampleFeed feed = SampleFeed.start(config.bootstrapServers(), config.topics().integritySamples(), registry,
                samples, config.settings().sampleFreshnessMillis() > 0
                        ? Duration.ofMillis(config.settings().sampleFreshnessMillis()) : Duration.ofSeconds(30));
        Producer<String, HealingRequest> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), AvroSerde.forValues(registry, HealingRequest.class));
        streams.start();
        return new HealingService(config, streams, feed, producer, strategies);
    }

    private record RemediationEngineFactory(HealingConfig config, StrategyRegistry strategies, LatestSamples samples,
                                            RecordSigner signer) {
        RemediationEngine create() {
            return new RemediationEngine(new ProblemClassifier(config.classifier()), strategies,
                    new WeightLearner(Duration.ofDays(30), config.settings().learningEnabled()), samples, signer);
        }
    }

    /**
     * Sends an operator's request and waits (up to {@code wait}) for the engine's decision.
     *
     * @throws IllegalArgumentException for a CONFIGURE whose settings do not validate (naming the setting)
     */
    public Optional<Decision> submit(String collection, String tenant, HealingRequestType type, String strategy,
                                     Map<String, String> params, boolean dryRun, String actionId, Duration wait)
            throws InterruptedException {
        if (type == HealingRequestType.CONFIGURE) {
            config.settings().withOverrides(params);
        }
        String id = UUID.randomUUID().toString();
        HealingRequest request = HealingRequest.newBuilder().setRequestId(id).setCollection(collection).setTenant(tenant)
                .setType(type).setStrategy(strategy).setParams(params == null ? Map.of() : params).setDryRun(dryRun)
                .setActionId(actionId).setRequestedAtMillis(System.currentTimeMillis()).build();
        try {
            requests.send(new ProducerRecord<>(config.topics().healingRequests(), collection, request)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not accept the healing request: " + e.getCause().getMessage(),
                    e.getCause());
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Decision> decision = decision(id);
            if (decision.isPresent()) {
                return decision;
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    public Optional<Decision> decision(String requestId) {
        return store(HealingTopology.DECISIONS_STORE).map(s -> (Decision) s.get(requestId));
    }

    /** The scope's status: effective settings, the remediation in flight, limits, the latest decision and outcome. */
    public HealingStatus status(String collection, String tenant) {
        String scope = tenant == null ? collection : collection + "/" + tenant;
        long now = System.currentTimeMillis();
        ScopeRecord rec = scopeRecord(scope).orElse(ScopeRecord.empty(scope));
        HealingSettings settings = effectiveSettings(scope);
        List<HealingOutcome> recent = history(collection, tenant, now - Duration.ofDays(1).toMillis(), Integer.MAX_VALUE);
        int counted = 0;
        int verified = 0;
        for (HealingOutcome o : recent) {
            if (!o.getDryRun()) {
                counted++;
                verified += o.getVerified() ? 1 : 0;
            }
        }
        long cooldown = rec.lastAttemptMillis() == 0 ? 0 : rec.lastAttemptMillis() + settings.minIntervalMillis();
        return new HealingStatus(scope, settings, rec.active(), rec.attemptsWithin(now, settings.attemptWindowMillis()),
                cooldown > now ? cooldown : 0, rec.suspended(), rec.lastDecision(), rec.lastDecisionMillis(),
                recent.isEmpty() ? null : recent.get(0), counted, verified);
    }

    /** Outcomes of the scope completed since {@code sinceMillis}, newest first, at most {@code limit}. */
    public List<HealingOutcome> history(String collection, String tenant, long sinceMillis, int limit) {
        String scope = tenant == null ? collection : collection + "/" + tenant;
        List<HealingOutcome> out = new ArrayList<>();
        store(HealingTopology.OUTCOMES_STORE).ifPresent(s -> {
            try (KeyValueIterator<String, Object> it = s.range(scope + "|", scope + "|~")) {
                while (it.hasNext()) {
                    KeyValue<String, Object> kv = it.next();
                    HealingOutcome o = (HealingOutcome) kv.value;
                    if (o != null && o.getCompletedAtMillis() >= sinceMillis) {
                        out.add(o);
                    }
                }
            }
        });
        Collections.reverse(out);
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** Every outcome the engine keeps (30 days), oldest first. */
    public List<HealingOutcome> allOutcomes() {
        List<HealingOutcome> out = new ArrayList<>();
        store(HealingTopology.OUTCOMES_STORE).ifPresent(s -> {
            try (KeyValueIterator<String, Object> it = s.all()) {
                while (it.hasNext()) {
                    Object v = it.next().value;
                    if (v instanceof HealingOutcome o) {
                        out.add(o);
                    }
                }
            }
        });
        out.sort(java.util.Comparator.comparingLong(HealingOutcome::getCompletedAtMillis));
        return out;
    }

    /** The learned weights and per-strategy effectiveness over the last 30 days, recomputed from the outcomes. */
    public WeightLearner effectiveness() {
        WeightLearner learner = new WeightLearner(Duration.ofDays(30), config.settings().learningEnabled());
        for (HealingOutcome o : allOutcomes()) {
            if (!o.getDryRun() && !o.getTrigger().equals("rollback") && !isAborted(o)) {
                learner.record(OutcomeRecord.from(o));
            }
        }
        learner.prune(System.currentTimeMillis());
        return learner;
    }

    private static boolean isAborted(HealingOutcome o) {
        return o.getError() != null && o.getError().startsWith("aborted by an operator");
    }

    public StrategyRegistry strategies() {
        return registry;
    }

    /** Defaults with the deployment-wide, collection and tenant overrides. */
    public HealingSettings effectiveSettings(String scope) {
        HealingSettings s = config.settings().withOverrides(overrides(HealingProcessor.GLOBAL));
        int slash = scope.indexOf('/');
        s = s.withOverrides(overrides(slash < 0 ? scope : scope.substring(0, slash)));
        return slash < 0 ? s : s.withOverrides(overrides(scope));
    }

    /** Every scope the engine has a record of. */
    public List<String> scopes() {
        List<String> out = new ArrayList<>();
        store(HealingTopology.SCOPES_STORE).ifPresent(s -> {
            try (KeyValueIterator<String, Object> it = s.all()) {
                while (it.hasNext()) {
                    String key = it.next().key;
                    if (!key.equals(HealingProcessor.GLOBAL)) {
                        out.add(key);
                    }
                }
            }
        });
        return out;
    }

    private Map<String, String> overrides(String scope) {
        return scopeRecord(scope).map(ScopeRecord::overrides).orElse(Map.of());
    }

    private Optional<ScopeRecord> scopeRecord(String scope) {
        return store(HealingTopology.SCOPES_STORE).map(s -> (ScopeRecord) s.get(scope));
    }

    /** The local store, or empty while the application is not running (starting, rebalancing). */
    private Optional<ReadOnlyKeyValueStore<String, Object>> store(String name) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return Optional.empty();
        }
        try {
            return Optional.of(streams.store(StoreQueryParameters.fromNameAndType(name,
                    QueryableStoreTypes.<String, Object>keyValueStore())));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the engine's task runs and can answer (the API says 503 otherwise). */
    public boolean isReady() {
        return store(HealingTopology.SCOPES_STORE).isPresent();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public HealingConfig config() {
        return config;
    }

    @Override
    public void close() {
        feed.close();
        requests.close(Duration.ofSeconds(5));
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
