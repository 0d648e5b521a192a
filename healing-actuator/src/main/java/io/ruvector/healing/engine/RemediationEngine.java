package io.ruvector.healing.engine;

import io.ruvector.healing.classify.Observation;
import io.ruvector.healing.classify.ProblemClass;
import io.ruvector.healing.classify.ProblemClassifier;
import io.ruvector.healing.learn.OutcomeRecord;
import io.ruvector.healing.learn.WeightLearner;
import io.ruvector.healing.strategy.RebalanceTarget;
import io.ruvector.healing.strategy.StrategyDescriptor;
import io.ruvector.healing.strategy.StrategyRegistry;
import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.HealingOutcome;
import io.ruvector.schemas.HealingRequest;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.Strategies;
import io.ruvector.schemas.signing.RecordSigner;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remediation loop of one scope, as pure decisions: integrity states, executor acks, operator
 * requests and clock ticks come in with the scope's {@link ScopeRecord}; the next record comes
 * out, and commands and outcomes go to {@link Effects}. Shaped after Cruise Control's
 * self-healing: one remediation in flight per scope, readiness and safety limits checked before
 * anything is commanded, time given by the caller (tests never sleep).
 *
 * <p>Flow: classify → select (impact ≤ the auto-heal limit, best learned weight) → [approval] →
 * command → ack (timeout 2× the estimate) → stabilisation wait → verify (λ after > factor × λ
 * before, or back at the high threshold) → rollback when not verified and reversible → signed
 * outcome → learn. Used by one stream thread: not thread-safe (the learner is shared with readers
 * through its own synchronisation).
 */
public final class RemediationEngine {

    private static final Logger LOG = LoggerFactory.getLogger(RemediationEngine.class);

    /** Where the engine's decisions go: the commands and outcomes topics. */
    public interface Effects {
        void command(RemediationCommand command);

        void outcome(HealingOutcome outcome);
    }

    private final ProblemClassifier classifier;
    private final StrategyRegistry registry;
    private final WeightLearner learner;
    private final LatestSamples samples;
    private final RecordSigner signer;

    public RemediationEngine(ProblemClassifier classifier, StrategyRegistry registry, WeightLearner learner,
                             LatestSamples samples, RecordSigner signer) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.learner = Objects.requireNonNull(learner, "learner");
        this.samples = Objects.requireNonNull(samples, "samples");
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    public StrategyRegistry registry() {
        return registry;
    }

    public WeightLearner learner() {
        return learner;
    }

    private static final String MEMORY_PRESSURE = "memory_pressure";

    /** The classifier with the scope's memory budget (the healing setting, when set, over the runtime's). */
    private ProblemClassifier classifierFor(HealingSettings settings) {
        return classifier.withMemoryBudget(settings.memoryBudgetBytes());
    }

    /** A new evaluation of the scope arrived: heal when it is degraded (or short of memory) and nothing is in flight. */
    public ScopeRecord onState(ScopeRecord rec, IntegrityState state, HealingSettings settings, long now, Effects out) {
        Remediation active = rec.active();
        if (active != null) {
            if (active.phase() == Phase.AWAITING_APPROVAL && state.getState() == IntegrityLevel.NORMAL) {
                LOG.info("healing {}: {} no longer needed, the scope is normal again", rec.scope(), active.strategy());
                return rec.withActive(null).decided("cancelled " + active.strategy() + " awaiting approval: the scope is normal again", now);
            }
            return rec;
        }
        if (state.getState() == IntegrityLevel.NORMAL) {
            ScopeRecord normal = rec.suspended() ? rec.resumed().decided("normal again: automatic healing resumed", now) : rec;
            // Memory does not lower λ: memory pressure is seen in the samples alone, so it is healed in a
            // normal state too (every limit of an automatic attempt applies).
            List<IntegritySample> latest = samples.of(collectionOf(rec.scope()), tenantOf(rec.scope()));
            Optional<ProblemClass> pressure = classifierFor(settings).memoryPressure(latest);
            if (pressure.isEmpty() || refusal(normal, state, settings, now, "auto") != null) {
                return normal;
            }
            String id = UUID.nameUUIDFromBytes((rec.scope() + "@memory@" + state.getLastSampleMillis())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
            // classified as memory pressure outright: a normal state's cut is no hot spot, whatever its edges
            return attempt(normal, state, settings, now, "auto", id, out, pressure.get());
        }
        // an id derived from the reading, not drawn at random: when a crash makes the topology
        // process the same state again, the remediation it starts is the same one
        String id = UUID.nameUUIDFromBytes((rec.scope() + "@" + state.getLastSampleMillis())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        return attempt(rec, state, settings, now, "auto", id, out, null);
    }

    /** An executor answered one of the commands. */
    public ScopeRecord onAck(ScopeRecord rec, CommandAck ack, HealingSettings settings, long now, Effects out) {
        Remediation r = rec.active();
        if (r == null) {
            return rec;
        }
        if (ack.getCommandId().equals(r.id()) && r.phase() == Phase.COMMANDED) {
            Remediation acked = r.appliedWith(ack.getDetails());
            return switch (ack.getStatus()) {
                case APPLIED -> r.dryRun()
                        ? finish(rec, acked.failing(null), null, false, settings, now, out, "dry run: " + ack.getDetail())
                        : rec.withActive(acked.inPhase(Phase.STABILISING, now, now + settings.stabilisationMillis()))
                                .decided(r.strategy() + " applied by " + ack.getExecutor() + ": " + ack.getDetail(), now);
                case FAILED, EXPIRED, ROLLED_BACK -> finish(rec, r.failing(ack.getStatus() + " by " + ack.getExecutor()
                        + ": " + ack.getDetail()), null, false, settings, now, out, null);
            };
        }
        if (ack.getCommandId().equals(r.rollbackCommandId()) && r.phase() == Phase.ROLLING_BACK) {
            boolean undone = ack.getStatus() == AckStatus.ROLLED_BACK;
            Remediation done = undone ? r : r.failing(Objects.requireNonNullElse(r.error(), "")
                    + (r.error() == null ? "" : "; ") + "rollback " + ack.getStatus() + ": " + ack.getDetail());
            return finish(rec, done, r.lambdaAfter(), undone, settings, now, out, null);
        }
        return rec;
    }

    /** Time passed: ack timeouts, end of the stabilisation wait (verification), rollback timeouts. */
    public ScopeRecord onTick(ScopeRecord rec, IntegrityState state, HealingSettings settings, long now, Effects out) {
        Remediation r = rec.active();
        if (r == null) {
            return rec;
        }
        long estimate = estimateMillis(r.strategy());
        return switch (r.phase()) {
            case AWAITING_APPROVAL -> rec;
            case COMMANDED -> {
                if (now <= r.deadlineMillis()) {
                    yield rec;
                }
                Remediation late = r.failing("no executor acknowledged " + r.strategy() + " within "
                        + (r.deadlineMillis() - r.phaseSinceMillis()) / 1000 + " s");
                if (r.reversible() && !r.dryRun()) {
                    out.command(command(late, CommandAction.ROLLBACK, UUID.randomUUID().toString(), now,
                            now + 2 * estimate, r.id()));
                }
                yield finish(rec, late, null, false, settings, now, out, null);
            }
            case STABILISING -> {
                if (now < r.deadlineMillis()) {
                    yield rec;
                }
                if (handingOff(rec.scope()) && now < r.startedAtMillis() + 2 * estimate) {
                    // rows still move (a hand-off settling): λ read now would judge half a move, so the
                    // stabilisation wait starts again from now (a λ reading after it counts), up to twice
                    // the strategy's estimate from the start
                    yield rec.withActive(r.inPhase(Phase.STABILISING, now, now + settings.stabilisationMillis()))
                            .decided(r.strategy() + ": rows still moving between partitions; verifying once they settle", now);
                }
                boolean fresh = state != null && state.getLastSampleMillis() > r.phaseSinceMillis();
                if (!fresh && now < r.deadlineMillis() + 2 * settings.sampleFreshnessMillis()) {
                    yield rec; // wait for a λ reading taken after the command was applied
                }
                Double after = fresh ? state.getLambda() : null;
                boolean verified = after != null && ((after > settings.verifyFactor() * r.lambdaBefore()
                        && after - r.lambdaBefore() >= settings.verifyMinGain())
                        || after >= state.getPolicy().getThresholdHigh());
                if (MEMORY_PRESSURE.equals(r.problemClass()) && after != null) {
                    // memory is not in λ: verified when samples taken after the command no longer show the pressure
                    List<IntegritySample> since = samples.of(collectionOf(rec.scope()), tenantOf(rec.scope())).stream()
                            .filter(s -> s.getSampledAtMillis() > r.phaseSinceMillis()).toList();
                    if (since.isEmpty() && now < r.deadlineMillis() + 2 * settings.sampleFreshnessMillis()) {
                        yield rec; // wait for samples taken after it
                    }
                    verified = !since.isEmpty() && classifierFor(settings).memoryPressure(since).isEmpty()
                            && after >= 0.9 * r.lambdaBefore();
                }
                if (verified) {
                    yield finish(rec, r, after, true, false, settings, now, out, null);
                }
                Remediation unverified = after == null ? r.failing("no fresh λ reading after the stabilisation wait") : r;
                if (r.reversible()) {
                    String rollbackId = UUID.randomUUID().toString();
                    out.command(command(unverified, CommandAction.ROLLBACK, rollbackId, now, now + 2 * estimate, r.id()));
                    String why = MEMORY_PRESSURE.equals(r.problemClass()) && after != null
                            ? "the samples after it still show memory pressure" : "λ did not improve";
                    LOG.info("healing {}: {} did not help ({}; λ {} → {}), rolling back", rec.scope(), r.strategy(), why,
                            fmt(r.lambdaBefore()), after == null ? "?" : fmt(after));
                    Remediation rolling = unverified.measured(after).rollingBack(rollbackId, now, now + 2 * estimate, false);
                    yield rec.withActive(rolling).decided("rolling back " + r.strategy() + ": " + why, now);
                }
                yield finish(rec, unverified, after, false, settings, now, out, null);
            }
            case ROLLING_BACK -> now <= r.deadlineMillis() ? rec
                    : finish(rec, r.failing("the rollback of " + r.strategy() + " was not acknowledged"), null, false,
                    settings, now, out, null);
        };
    }

    /** An operator's request (HTTP or CLI); CONFIGURE is handled by the caller, which owns the overrides. */
    public ScopeRecord onRequest(ScopeRecord rec, HealingRequest req, IntegrityState state, HealingSettings settings,
                                 long now, Effects out) {
        Remediation r = rec.active();
        return switch (req.getType()) {
            case TRIGGER -> {
                if (r != null) {
                    yield rec.decided("trigger refused: remediation " + r.id() + " (" + r.strategy() + ") is in flight", now);
                }
                if (state == null) {
                    yield rec.decided("trigger refused: no integrity state for " + rec.scope() + " yet", now);
                }
                yield attempt(rec.resumed(), state, settings, now, "trigger", req.getRequestId(), out, null);
            }
            case EXECUTE -> execute(rec, req, state, settings, now, out);
            case APPROVE -> {
                if (r == null || r.phase() != Phase.AWAITING_APPROVAL || !r.id().equals(req.getActionId())) {
                    yield rec.decided("approve refused: nothing awaits approval with id " + req.getActionId(), now);
                }
                yield issue(rec.attempted(now, settings.attemptWindowMillis()), r, now, out, "approved");
            }
            case ABORT -> abort(rec, req, settings, now, out);
            case ROLLBACK -> rollback(rec, settings, now, out);
            case CONFIGURE -> rec;
        };
    }

    /** {@code known}: the problem when the caller classified it already, else null (classified here). */
    private ScopeRecord attempt(ScopeRecord rec, IntegrityState state, HealingSettings settings, long now, String trigger,
                                String id, Effects out, ProblemClass known) {
        String refusal = refusal(rec, state, settings, now, trigger);
        if (refusal != null) {
            return rec.decided(refusal, now);
        }
        List<IntegritySample> latest = samples.of(collectionOf(rec.scope()), tenantOf(rec.scope()));
        ProblemClass problem = known != null ? known : classifierFor(settings).classify(new Observation(state, latest));
        if (problem instanceof ProblemClass.Unknown unknown) {
            return rec.decided("not healed: the problem is unknown (" + unknown.witnessSummary()
                    + "); unknown problems are never healed automatically", now);
        }
        if (settings.disabledProblemClasses().contains(problem.name())) {
            return rec.decided("not healed: self-healing is switched off for " + problem.name(), now);
        }
        // Moving buckets helps only when partitions are overloaded against each other and one carries more
        // than its share; a backlog (the ingest outrunning the partitions) or an even overload is throttled.
        boolean backlog = problem instanceof ProblemClass.HotspotCongestion h && h.backlog();
        Set<String> excluded = new java.util.HashSet<>();
        if (backlog || RebalanceTarget.choose(latest, RebalanceTarget.MIN_SKEW).isEmpty()) {
            excluded.add(Strategies.REBALANCE_PARTITIONS);
        }
        // draining a task helps only when the hot partition shares an instance that another instance could relieve
        if (backlog || io.ruvector.healing.strategy.DrainTarget.choose(latest).isEmpty()) {
            excluded.add(Strategies.DRAIN_HOT_PARTITION);
        }
        // At equal learned weight a strategy that acts now goes first: otherwise an approval request
        // (scale_replicas, the lowest impact) would stand in front of a throttle or a rebalance.
        Optional<StrategyDescriptor> chosen = registry.select(problem.name(), settings.maxAutoHealImpact(), excluded,
                learner, settings.requireApproval());
        if (chosen.isEmpty()) {
            return rec.decided("not healed: no available strategy handles " + problem.name() + " with impact <= "
                    + settings.maxAutoHealImpact() + unavailableNote(problem.name()), now);
        }
        StrategyDescriptor s = chosen.get();
        Remediation r = remediation(id, rec.scope(), problem.name(), problem.evidence(), s,
                paramsFor(s.name(), state, latest, settings, Map.of()), trigger, false, state, now);
        if (settings.requireApproval().contains(s.name())) {
            LOG.info("healing {}: {} classified, {} awaits approval (id {})", rec.scope(), problem.name(), s.name(), r.id());
            return rec.withActive(r.inPhase(Phase.AWAITING_APPROVAL, now, Long.MAX_VALUE))
                    .decided(s.name() + " for " + problem.name() + " awaits approval (id " + r.id() + ")", now);
        }
        return issue(rec.attempted(now, settings.attemptWindowMillis()), r, now, out, problem.name());
    }

    /** Why an automatic (or triggered) attempt may not run now, or null when it may. */
    private String refusal(ScopeRecord rec, IntegrityState state, HealingSettings settings, long now, String trigger) {
        if (!settings.enabled()) {
            return "not healed: self-healing is disabled";
        }
        if (rec.suspended() && trigger.equals("auto")) {
            return "not healed: automatic healing is suspended after " + rec.consecutiveUnverified()
                    + " remediations in a row that were not verified (trigger, or wait for normal)";
        }
        long freshness = settings.sampleFreshnessMillis();
        if (now - state.getLastSampleMillis() > freshness
                || now - samples.newestMillis(state.getCollection(), state.getTenant()) > freshness) {
            return "not ready: no integrity samples of the last " + freshness / 1000 + " s";
        }
        if (rec.lastAttemptMillis() > 0 && now - rec.lastAttemptMillis() < settings.minIntervalMillis()) {
            return "refused: the last attempt was " + (now - rec.lastAttemptMillis()) / 1000 + " s ago (minimum "
                    + settings.minIntervalMillis() / 1000 + " s between attempts); next at "
                    + Instant.ofEpochMilli(rec.lastAttemptMillis() + settings.minIntervalMillis());
        }
        int attempts = rec.attemptsWithin(now, settings.attemptWindowMillis());
        if (attempts >= settings.maxAttemptsPerWindow()) {
            return "refused: " + attempts + " attempts within the last " + settings.attemptWindowMillis() / 60_000
                    + " min (limit " + settings.maxAttemptsPerWindow() + ")";
        }
        return null;
    }

    private ScopeRecord execute(ScopeRecord rec, HealingRequest req, IntegrityState state, HealingSettings settings,
                                long now, Effects out) {
        if (rec.active() != null) {
            return rec.decided("execute refused: remediation " + rec.active().id() + " is in flight", now);
        }
        Optional<StrategyDescriptor> found = registry.byName(Objects.requireNonNullElse(req.getStrategy(), ""));
        if (found.isEmpty()) {
            return rec.decided("execute refused: unknown strategy '" + req.getStrategy() + "'; known: " + Strategies.ALL, now);
        }
        StrategyDescriptor s = found.get();
        if (!s.available()) {
            return rec.decided("execute refused: " + s.name() + " is unavailable: " + s.unavailableReason(), now);
        }
        String problemClass = "manual";
        Map<String, String> evidence = Map.of();
        List<IntegritySample> latest = samples.of(collectionOf(rec.scope()), tenantOf(rec.scope()));
        if (state != null) {
            ProblemClass problem = classifierFor(settings).classify(new Observation(state, latest));
            problemClass = problem.name();
            evidence = problem.evidence();
        }
        Map<String, String> params = paramsFor(s.name(), state, latest, settings, req.getParams());
        if (s.name().equals(Strategies.REBALANCE_PARTITIONS) && !params.containsKey(Strategies.PARAM_FROM_PARTITION)) {
            return rec.decided("execute refused: the samples show no partition above the mean load; name "
                    + Strategies.PARAM_FROM_PARTITION + " and " + Strategies.PARAM_TO_PARTITIONS, now);
        }
        // the request's id: a request processed again after a crash starts the same remediation
        Remediation r = remediation(req.getRequestId(), rec.scope(), problemClass, evidence, s, params, "execute",
                req.getDryRun(), state, now);
        ScopeRecord counted = req.getDryRun() ? rec : rec.attempted(now, settings.attemptWindowMillis());
        return issue(counted, r, now, out, "operator");
    }

    private ScopeRecord abort(ScopeRecord rec, HealingRequest req, HealingSettings settings, long now, Effects out) {
        Remediation r = rec.active();
        if (r == null || !r.id().equals(req.getActionId())) {
            return rec.decided("abort refused: no remediation with id " + req.getActionId() + " is in flight", now);
        }
        return switch (r.phase()) {
            case AWAITING_APPROVAL -> finish(rec, r.rollingBack(null, now, now, true).failing("aborted by an operator before approval"),
                    null, false, settings, now, out, null);
            case COMMANDED, STABILISING -> {
                if (!r.reversible()) {
                    yield finish(rec, r.rollingBack(null, now, now, true).failing("aborted by an operator ("
                            + r.strategy() + " cannot be undone)"), null, false, settings, now, out, null);
                }
                String rollbackId = UUID.randomUUID().toString();
                long estimate = estimateMillis(r.strategy());
                out.command(command(r, CommandAction.ROLLBACK, rollbackId, now, now + 2 * estimate, r.id()));
                yield rec.withActive(r.failing("aborted by an operator").rollingBack(rollbackId, now, now + 2 * estimate, true))
                        .decided("aborting " + r.id() + ": rolling back " + r.strategy(), now);
            }
            case ROLLING_BACK -> rec.decided("abort: " + r.id() + " is already rolling back", now);
        };
    }

    private ScopeRecord rollback(ScopeRecord rec, HealingSettings settings, long now, Effects out) {
        Remediation last = rec.lastApplied();
        if (rec.active() != null) {
            return rec.decided("rollback refused: remediation " + rec.active().id() + " is in flight", now);
        }
        if (last == null) {
            return rec.decided("rollback refused: no applied, reversible remediation to roll back", now);
        }
        String rollbackId = UUID.randomUUID().toString();
        long estimate = estimateMillis(last.strategy());
        out.command(command(last, CommandAction.ROLLBACK, rollbackId, now, now + 2 * estimate, last.id()));
        Remediation r = new Remediation(UUID.randomUUID().toString(), last.scope(), last.collection(), last.tenant(),
                last.problemClass(), last.evidence(), last.strategy(), last.params(), "rollback", false, true,
                Phase.ROLLING_BACK, now, now, now + 2 * estimate, rollbackId, last.lambdaBefore(), last.witnessEdges(),
                Map.of(), true, true, null, last.lambdaAfter());
        return rec.withLastApplied(null).withActive(r).decided("rolling back " + last.strategy() + " (" + last.id() + ")", now);
    }

    private ScopeRecord issue(ScopeRecord rec, Remediation r, long now, Effects out, String why) {
        long estimate = estimateMillis(r.strategy());
        long deadline = now + 2 * estimate;
        out.command(command(r, CommandAction.APPLY, r.id(), now, expiry(r, now), null));
        LOG.info("healing {}: {} → {}{} (id {})", rec.scope(), why, r.strategy(), r.dryRun() ? " (dry run)" : "", r.id());
        return rec.withActive(r.inPhase(Phase.COMMANDED, now, deadline))
                .decided("commanded " + r.strategy() + (r.dryRun() ? " (dry run)" : "") + " for " + r.problemClass()
                        + " (id " + r.id() + ")", now);
    }

    private ScopeRecord finish(ScopeRecord rec, Remediation r, Double lambdaAfter, boolean rolledBack,
                               HealingSettings settings, long now, Effects out, String note) {
        return finish(rec, r, lambdaAfter, false, rolledBack, settings, now, out, note);
    }

    private ScopeRecord finish(ScopeRecord rec, Remediation r, Double lambdaAfter, boolean verified, boolean rolledBack,
                               HealingSettings settings, long now, Effects out, String note) {
        HealingOutcome outcome = outcome(r, lambdaAfter, verified, rolledBack, now);
        out.outcome(outcome);
        boolean learnable = !r.dryRun() && !r.aborted() && !r.trigger().equals("rollback");
        if (learnable) {
            learner.record(OutcomeRecord.from(outcome));
        }
        ScopeRecord next = learnable ? rec.withActive(null).verified(verified, settings.stopAfterUnverified())
                : rec.withActive(null);
        if (verified && r.reversible()) {
            next = next.withLastApplied(r);
        }
        String decision = note != null ? note
                : verified && MEMORY_PRESSURE.equals(r.problemClass()) ? r.strategy()
                        + " verified: the samples after it show no memory pressure (λ " + fmt(r.lambdaBefore()) + " → "
                        + fmt(lambdaAfter) + ")"
                : verified ? r.strategy() + " verified: λ " + fmt(r.lambdaBefore()) + " → " + fmt(lambdaAfter)
                : rolledBack ? r.strategy() + " rolled back" + (r.error() == null ? "" : ": " + r.error())
                : r.strategy() + " not verified" + (r.error() == null ? "" : ": " + r.error());
        LOG.info("healing {}: {}", rec.scope(), decision);
        if (next.suspended() && !rec.suspended()) {
            LOG.warn("healing {}: automatic healing suspended after {} remediations in a row that were not verified",
                    rec.scope(), next.consecutiveUnverified());
        }
        return next.decided(decision, now);
    }

    private HealingOutcome outcome(Remediation r, Double lambdaAfter, boolean verified, boolean rolledBack, long now) {
        double improvement = lambdaAfter == null || r.lambdaBefore() <= 0 ? 0.0
                : (lambdaAfter - r.lambdaBefore()) / r.lambdaBefore();
        HealingOutcome o = HealingOutcome.newBuilder()
                .setOutcomeId(r.id()).setCollection(r.collection()).setTenant(r.tenant())
                .setProblemClass(r.problemClass()).setEvidence(new HashMap<>(r.evidence()))
                .setStrategy(r.strategy()).setParams(new HashMap<>(r.params())).setTrigger(r.trigger())
                .setDryRun(r.dryRun()).setStartedAtMillis(r.startedAtMillis()).setCompletedAtMillis(now)
                .setDurationMillis(Math.max(0, now - r.startedAtMillis())).setSuccess(r.applied())
                .setVerified(verified).setRolledBack(rolledBack).setActionsTaken(r.applied() ? 1 : 0)
                .setLambdaBefore(r.lambdaBefore()).setLambdaAfter(lambdaAfter).setImprovement(improvement)
                .setWitnessEdges(r.witnessEdges().stream().map(Witness::toAvro).toList())
                .setError(r.error()).build();
        return signer.sign(o);
    }

    private Remediation remediation(String id, String scope, String problemClass, Map<String, String> evidence,
                                    StrategyDescriptor s,
                                    Map<String, String> params, String trigger, boolean dryRun, IntegrityState state,
                                    long now) {
        double lambda = state == null ? 1.0 : state.getLambda();
        List<Witness> witnesses = state == null ? List.of() : state.getWitnessEdges().stream().map(Witness::of).toList();
        return new Remediation(id, scope, collectionOf(scope), tenantOf(scope), problemClass,
                evidence, s.name(), params, trigger, dryRun, s.reversible(), Phase.COMMANDED, now, now, now, null, lambda,
                witnesses, Map.of(), false, false, null, null);
    }

    /**
     * The strategy's parameters from the state (throttle depth by severity) and the latest samples
     * (a rebalance's hot and cold partitions), with the operator's on top.
     */
    static Map<String, String> paramsFor(String strategy, IntegrityState state, List<IntegritySample> latest,
                                         HealingSettings settings, Map<String, String> given) {
        Map<String, String> params = new HashMap<>();
        boolean operatorPlan = given != null && (given.containsKey(Strategies.PARAM_FROM_PARTITION)
                || given.containsKey(Strategies.PARAM_TO_PARTITION) || given.containsKey(Strategies.PARAM_TO_PARTITIONS));
        if (strategy.equals(Strategies.REBALANCE_PARTITIONS) && !operatorPlan) { // an operator's move replaces the computed one
            RebalanceTarget.choose(latest, 0).ifPresent(t -> params.putAll(t.params()));
        }
        if (strategy.equals(Strategies.DRAIN_HOT_PARTITION) && !operatorPlan) {
            io.ruvector.healing.strategy.DrainTarget.choose(latest).ifPresent(t -> params.putAll(t.params()));
        }
        if (strategy.equals(Strategies.EVICT_COLD_DATA)) {
            params.put(Strategies.PARAM_IDLE_SECONDS, Long.toString(settings.evictIdleMillis() / 1000));
        }
        if (strategy.equals(Strategies.THROTTLE_INGESTION)) {
            double admit = state != null && state.getState() == IntegrityLevel.CRITICAL
                    ? settings.criticalAdmitFraction() : settings.stressAdmitFraction();
            params.put(Strategies.PARAM_ADMIT_FRACTION, Double.toString(admit));
            // bulk loads are throttled ten points more, as in the seed
            params.put(Strategies.PARAM_BULK_ADMIT_FRACTION, Double.toString(Math.max(0.05, admit - 0.1)));
        }
        if (given != null) {
            params.putAll(given);
        }
        params.putIfAbsent("effect_millis", Long.toString(settings.effectMillis()));
        return params;
    }

    private long expiry(Remediation r, long now) {
        boolean lasting = r.strategy().equals(Strategies.THROTTLE_INGESTION) || r.strategy().equals(Strategies.PAUSE_MAINTENANCE);
        if (lasting) {
            return now + Long.parseLong(r.params().getOrDefault("effect_millis", "600000"));
        }
        return now + 2 * estimateMillis(r.strategy());
    }

    private RemediationCommand command(Remediation r, CommandAction action, String id, long now, long expires,
                                       String rollbackOf) {
        RemediationCommand c = RemediationCommand.newBuilder().setCommandId(id).setCollection(r.collection())
                .setTenant(r.tenant()).setStrategy(r.strategy()).setAction(action).setParams(new HashMap<>(r.params()))
                .setDryRun(action == CommandAction.APPLY && r.dryRun()).setIssuedAtMillis(now).setExpiresAtMillis(expires)
                .setRollbackOf(rollbackOf).build();
        return signer.sign(c);
    }

    /** Whether the latest index samples of the scope show a partition with a bucket hand-off in progress. */
    private boolean handingOff(String scope) {
        return samples.of(collectionOf(scope), tenantOf(scope)).stream()
                .flatMap(s -> s.getPartitions().stream())
                .anyMatch(p -> p.getHandOff());
    }

    private long estimateMillis(String strategy) {
        return registry.byName(strategy).map(s -> s.estimatedDuration().toMillis()).orElse(60_000L);
    }

    private String unavailableNote(String problemClass) {
        List<String> unavailable = registry.all().stream()
                .filter(s -> s.handles().contains(problemClass) && !s.available()).map(StrategyDescriptor::name).toList();
        return unavailable.isEmpty() ? "" : " (unavailable here: " + String.join(", ", unavailable) + ")";
    }

    static String collectionOf(String scope) {
        int slash = scope.indexOf('/');
        return slash < 0 ? scope : scope.substring(0, slash);
    }

    static String tenantOf(String scope) {
        int slash = scope.indexOf('/');
        return slash < 0 ? null : scope.substring(slash + 1);
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
