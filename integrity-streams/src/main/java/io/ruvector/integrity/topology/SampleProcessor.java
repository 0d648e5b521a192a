package io.ruvector.integrity.topology;

import io.ruvector.integrity.contract.Baseline;
import io.ruvector.integrity.contract.ContractedGraphBuilder;
import io.ruvector.integrity.contract.CentroidHealth;
import io.ruvector.integrity.contract.Telemetry;
import io.ruvector.integrity.signing.EventSigner;
import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.IntegrityPolicy;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.SampleSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each reporter's latest sample, and evaluates the sample's scope once per round of
 * samples: signed events to the events sink, the new state record to the state store and the
 * state sink.
 *
 * <p>Rounds: several reporters (every index instance, the capture) sample a scope every
 * {@code sampleInterval}, each on its own phase. A scope is evaluated on a sample at time t when
 * at least half a cadence (the gap) has passed since its last evaluation and either every fresh
 * reporter has reported within the gap before t (the round is complete, so the graph sees this
 * round's numbers of every reporter, not last round's), or 1.5 cadences have passed since the
 * last evaluation (a reporter went silent; it is left out once its sample is older than
 * {@code staleAfter}). The first sample of a scope never seen is evaluated at once, with the
 * reporters heard so far.
 *
 * <p>Samples store key: {@code scope NUL source NUL instanceId}, so one prefix scan finds a
 * scope's reporters. Time is the samples' own {@code sampledAtMillis}: a sample older than its
 * reporter's stored one is dropped, and one older than the scope's last evaluation only updates
 * the store.
 *
 * <p>Baselines store key: the scope key; value: the scope's {@link Baseline} (what its centroids
 * and row distribution normally look like), read before and written after each evaluation.
 */
final class SampleProcessor implements Processor<String, IntegritySample, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(SampleProcessor.class);
    private static final char SEP = '\u0000';

    private final IntegritySettings settings;
    private final ScopeEvaluator evaluator;
    private final EventSigner signer;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, IntegritySample> samples;
    private KeyValueStore<String, IntegrityState> states;
    private KeyValueStore<String, IntegrityPolicy> policies;
    private KeyValueStore<String, byte[]> baselines;

    SampleProcessor(IntegritySettings settings, EventSigner signer) {
        this.settings = settings;
        this.evaluator = new ScopeEvaluator(settings);
        this.signer = signer;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        samples = context.getStateStore(IntegrityTopology.SAMPLES_STORE);
        states = context.getStateStore(IntegrityTopology.STATE_STORE);
        policies = context.getStateStore(IntegrityTopology.POLICY_STORE);
        baselines = context.getStateStore(IntegrityTopology.BASELINE_STORE);
    }

    @Override
    public void process(Record<String, IntegritySample> record) {
        IntegritySample sample = record.value();
        if (sample == null) {
            return;
        }
        Scope scope;
        try {
            scope = new Scope(sample.getCollection(), sample.getTenant());
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring an integrity sample from {}: {}", sample.getInstanceId(), e.getMessage());
            return;
        }
        long at = sample.getSampledAtMillis();
        String key = scope.key() + SEP + sample.getSource() + SEP + sample.getInstanceId();
        IntegritySample stored = samples.get(key);
        if (stored != null && stored.getSampledAtMillis() > at) {
            return; // an older sample of a reporter we already heard from later
        }
        samples.put(key, sample);
        IntegrityState previous = states.get(scope.key());
        long gap = settings.minEvaluationGapMillis();
        if (previous != null && at - previous.getLastSampleMillis() < gap) {
            return; // same round as the last evaluation (or older): counted once
        }
        List<IntegritySample> fresh = collect(scope, at);
        boolean complete = fresh.stream().allMatch(s -> s.getSampledAtMillis() >= at - gap);
        boolean overdue = previous != null
                && at - previous.getLastSampleMillis() >= settings.sampleInterval().toMillis() + gap;
        if (!complete && !overdue) {
            return; // wait for the other reporters of this round
        }
        borrowCapture(scope, at, fresh);
        ResolvedPolicy policy = policy(scope);
        Telemetry telemetry = Telemetry.merge(fresh);
        // Scored against what is normal for this scope; the first reading (or one after a reset) is it.
        Baseline baseline = Baseline.calibrate(Baseline.fromBytes(baselines.get(scope.key())), telemetry, at);
        Evaluation evaluation = evaluator.evaluate(scope, fresh, at, previous, policy, baseline);
        baselines.put(scope.key(), absorb(baseline, telemetry, evaluation, policy, at).toBytes());
        states.put(scope.key(), evaluation.state());
        for (IntegrityEvent event : evaluation.events()) {
            context.forward(new Record<String, SpecificRecord>(scope.collection(), signer.sign(event), at),
                    IntegrityTopology.EVENTS_SINK);
        }
        context.forward(new Record<String, SpecificRecord>(scope.key(), evaluation.state(), at),
                IntegrityTopology.STATE_SINK);
    }

    /** The baseline with this reading blended in where it scored healthy (see {@link Baseline}). */
    private static Baseline absorb(Baseline baseline, Telemetry telemetry, Evaluation evaluation, ResolvedPolicy policy,
                                   long at) {
        Map<String, Double> centroidHealth = CentroidHealth.calibrated(telemetry.centroids(), baseline,
                policy.budgets());
        boolean rowsHealthy = evaluation.graph().partitionHealth().values().stream()
                .allMatch(h -> h.skew() <= 1.0 - Baseline.ABSORB_HEALTH);
        boolean caughtUp = new ContractedGraphBuilder(policy.budgets()).caughtUp(telemetry);
        return baseline.absorb(telemetry, centroidHealth, rowsHealthy).loadEnded(caughtUp, at);
    }

    /**
     * A tenant scope without a capture sample of its own borrows the collection's: the capture is
     * shared by all tenants.
     */
    private void borrowCapture(Scope scope, long at, List<IntegritySample> fresh) {
        if (scope.tenant() != null && fresh.stream().noneMatch(s -> s.getSource() == SampleSource.CDC)) {
            collect(scope.collectionScope(), at).stream().filter(s -> s.getSource() == SampleSource.CDC)
                    .forEach(fresh::add);
        }
    }

    /**
     * The scope's reporters whose latest sample is within {@code staleAfter} of {@code at}; older
     * ones are removed from the store (a reporter that comes back is simply stored again).
     */
    private List<IntegritySample> collect(Scope scope, long at) {
        long oldest = at - settings.staleAfter().toMillis();
        List<IntegritySample> fresh = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, IntegritySample> it = samples.prefixScan(scope.key() + SEP, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, IntegritySample> entry = it.next();
                if (entry.value.getSampledAtMillis() >= oldest) {
                    fresh.add(entry.value);
                } else {
                    stale.add(entry.key);
                }
            }
        }
        stale.forEach(samples::delete);
        return fresh;
    }

    private ResolvedPolicy policy(Scope scope) {
        IntegrityPolicy collection = policies.get(scope.collection());
        IntegrityPolicy tenant = scope.tenant() == null ? null : policies.get(scope.key());
        return ResolvedPolicy.resolve(settings, collection, tenant);
    }
}
