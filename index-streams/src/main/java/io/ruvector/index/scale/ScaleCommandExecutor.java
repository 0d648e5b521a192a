package io.ruvector.index.scale;

import io.ruvector.index.maintenance.CommandParams;
import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.CommandAcks;
import io.ruvector.schemas.healing.GuardedCommand;
import io.ruvector.schemas.healing.CommandExecutor;
import io.ruvector.schemas.healing.Strategies;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code scale_replicas}: more stream threads in this index instance
 * ({@code KafkaStreams#addStreamThread}, so its partitions are processed on more cores), and,
 * when a {@link KubernetesTarget} is configured, more replicas of the index StatefulSet (once per
 * command across instances, see {@link StatefulSetScaler}). Rollback removes the threads the
 * command added and restores the replicas. Added threads last until the process ends: a restart
 * runs the configured count again. Never throws for a command: a problem is a FAILED ack.
 */
public final class ScaleCommandExecutor implements CommandExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleCommandExecutor.class);

    /** Stream threads to add in this instance; default 1. */
    public static final String PARAM_THREADS = "threads";
    /** Most stream threads this instance may run; default its cores. */
    public static final String PARAM_MAX_THREADS = "max_threads";
    /** StatefulSet replicas to add (with Kubernetes); default 1. */
    public static final String PARAM_REPLICAS = "replicas";
    /** Most StatefulSet replicas; default 16. */
    public static final String PARAM_MAX_REPLICAS = "max_replicas";
    static final int DEFAULT_MAX_REPLICAS = 16;
    private static final Duration REMOVE_TIMEOUT = Duration.ofSeconds(30);

    private final String executorId;
    private final StreamThreads threads;
    private final StatefulSetScaler kubernetes;
    private final Clock clock;
    /** Thread names each applied command added, by command id: what its rollback removes. */
    private final Map<String, List<String>> added = new ConcurrentHashMap<>();

    /**
     * @param instanceId this instance; the executor id is {@code index@<instanceId>}
     * @param threads    the index application's stream threads
     * @param kubernetes the StatefulSet to scale, or null when the index does not run on Kubernetes
     */
    public ScaleCommandExecutor(String instanceId, StreamThreads threads, StatefulSetScaler kubernetes, Clock clock) {
        this.executorId = "index@" + Objects.requireNonNull(instanceId, "instanceId");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.kubernetes = kubernetes;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String executorId() {
        return executorId;
    }

    @Override
    public Set<String> strategies() {
        return Set.of(Strategies.SCALE_REPLICAS);
    }

    @Override
    public CommandAck execute(RemediationCommand command) {
        return GuardedCommand.run(command, clock, LOG, (status, detail, details) -> ack(command, status, detail, details),
                details -> command.getAction() == CommandAction.ROLLBACK ? rollback(command, details)
                        : apply(command, new CommandParams(command.getParams()), details));
    }

    private CommandAck apply(RemediationCommand command, CommandParams params, Map<String, String> details)
            throws IOException, InterruptedException {
        int wanted = (int) params.positiveLong(PARAM_THREADS, 1);
        int maxThreads = (int) params.positiveLong(PARAM_MAX_THREADS, Runtime.getRuntime().availableProcessors());
        int replicas = (int) params.positiveLong(PARAM_REPLICAS, 1);
        int maxReplicas = (int) params.positiveLong(PARAM_MAX_REPLICAS, DEFAULT_MAX_REPLICAS);
        int before = threads.count();
        int toAdd = Math.max(0, Math.min(wanted, maxThreads - before));
        details.put("threads_before", Integer.toString(before));
        details.put(PARAM_MAX_THREADS, Integer.toString(maxThreads));
        String statefulSet = kubernetes == null ? null
                : kubernetes.target().namespace() + "/" + kubernetes.target().statefulSet();
        if (toAdd == 0 && kubernetes == null) {
            return ack(command, AckStatus.FAILED, "this instance already runs " + before + " stream threads, the most "
                    + "max_threads " + maxThreads + " allows, and no Kubernetes StatefulSet is configured", details);
        }
        if (command.getDryRun()) {
            String plan = "would add " + toAdd + " stream threads (" + before + " -> " + (before + toAdd) + ")";
            if (kubernetes != null) {
                int current = kubernetes.replicas(); // a read: a dry run changes nothing
                details.put("replicas_before", Integer.toString(current));
                plan += " and scale StatefulSet " + statefulSet + " from " + current + " to "
                        + Math.min(maxReplicas, current + replicas) + " replicas";
            }
            return ack(command, AckStatus.APPLIED, plan, details);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < toAdd; i++) {
            Optional<String> name = threads.add();
            if (name.isEmpty()) {
                break; // not running (e.g. rebalancing): what was added stays recorded for the rollback
            }
            names.add(name.get());
        }
        added.put(command.getCommandId(), names);
        details.put("threads_added", String.join(",", names));
        details.put("threads_after", Integer.toString(threads.count()));
        String done = "added " + names.size() + " stream threads (" + before + " -> " + (before + names.size()) + ")";
        if (kubernetes != null) {
            StatefulSetScaler.Scaled scaled;
            try {
                scaled = kubernetes.scaleUp(command.getCommandId(), replicas, maxReplicas);
            } catch (IOException e) {
                removeAll(names); // never half-applied: the threads go again
                added.remove(command.getCommandId());
                throw e;
            }
            details.put("replicas_before", Integer.toString(scaled.before()));
            details.put("replicas_after", Integer.toString(scaled.after()));
            done += scaled.changed() ? "; scaled StatefulSet " + statefulSet + " from " + scaled.before() + " to "
                    + scaled.after() + " replicas" : "; StatefulSet " + statefulSet + " already scaled by this command ("
                    + scaled.after() + " replicas)";
        }
        return ack(command, AckStatus.APPLIED, done, details);
    }

    private CommandAck rollback(RemediationCommand command, Map<String, String> details)
            throws IOException, InterruptedException {
        List<String> names = added.get(command.getRollbackOf());
        if (names == null && kubernetes == null) {
            return ack(command, AckStatus.FAILED, "no scale_replicas command " + command.getRollbackOf()
                    + " was applied here", details);
        }
        int count = names == null ? 0 : names.size();
        if (command.getDryRun()) {
            return ack(command, AckStatus.ROLLED_BACK, "would remove " + count + " stream threads"
                    + (kubernetes == null ? "" : " and restore the StatefulSet's replicas from before "
                    + command.getRollbackOf()), details);
        }
        String done = "removed " + (names == null ? 0 : removeAll(names)) + " of " + count + " stream threads";
        added.remove(command.getRollbackOf());
        details.put("threads_after", Integer.toString(threads.count()));
        if (kubernetes != null) {
            StatefulSetScaler.Scaled scaled = kubernetes.rollBack(command.getRollbackOf());
            details.put("replicas_before", Integer.toString(scaled.before()));
            details.put("replicas_after", Integer.toString(scaled.after()));
            done += "; StatefulSet replicas " + scaled.before() + " -> " + scaled.after();
        }
        return ack(command, AckStatus.ROLLED_BACK, done, details);
    }

    /** Removes as many threads as {@code names} lists (Kafka Streams picks which); returns how many went. */
    private int removeAll(List<String> names) {
        int removed = 0;
        for (int i = 0; i < names.size(); i++) {
            if (threads.remove(REMOVE_TIMEOUT).isPresent()) {
                removed++;
            }
        }
        return removed;
    }

    private CommandAck ack(RemediationCommand command, AckStatus status, String detail, Map<String, String> details) {
        if (status == AckStatus.FAILED) {
            LOG.info("Command {} (scale_replicas on {}) failed: {}", command.getCommandId(), command.getCollection(), detail);
        }
        return CommandAcks.of(command, executorId, status, detail, details, clock.millis());
    }
}
