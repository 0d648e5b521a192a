package io.ruvector.index.drain;

import io.ruvector.index.maintenance.CommandParams;
import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.CommandAcks;
import io.ruvector.schemas.healing.GuardedCommand;
import io.ruvector.schemas.healing.CommandExecutor;
import io.ruvector.schemas.healing.Strategies;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code drain_hot_partition}: moves one partition's active task to another instance of
 * the index application by pinning it ({@link TaskPins}) and starting a rebalance, which
 * {@link PinningTaskAssignor} answers with the move; the partition's data stays where it is (the
 * new owner already holds a standby of it). Acks once the cluster metadata shows the partition
 * active on the target. Rollback pins it back to the instance it left. Every instance executes
 * the command the same way (each installs the pin its leader may need); the engine takes the
 * first ack. Never throws for a command.
 */
public final class DrainCommandExecutor implements CommandExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(DrainCommandExecutor.class);

    /** Seconds to wait for the move before failing; default 60. */
    public static final String PARAM_WAIT_SECONDS = "wait_seconds";
    private static final long POLL_MILLIS = 100;

    private record Move(int partition, String from, String to) {
    }

    private final String executorId;
    private final KafkaStreams streams;
    private final TaskPins pins;
    private final String vectorsTopic;
    private final Clock clock;
    private final Map<String, Move> moves = new ConcurrentHashMap<>();

    public DrainCommandExecutor(String instanceId, KafkaStreams streams, TaskPins pins, String vectorsTopic, Clock clock) {
        this.executorId = "index@" + Objects.requireNonNull(instanceId, "instanceId");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.pins = Objects.requireNonNull(pins, "pins");
        this.vectorsTopic = Objects.requireNonNull(vectorsTopic, "vectorsTopic");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String executorId() {
        return executorId;
    }

    @Override
    public Set<String> strategies() {
        return Set.of(Strategies.DRAIN_HOT_PARTITION);
    }

    @Override
    public CommandAck execute(RemediationCommand command) {
        return GuardedCommand.run(command, clock, LOG, (status, detail, details) -> ack(command, status, detail, details),
                details -> drain(command, details));
    }

    private CommandAck drain(RemediationCommand command, Map<String, String> details) throws InterruptedException {
        CommandParams params = new CommandParams(command.getParams());
        long waitMillis = params.positiveLong(PARAM_WAIT_SECONDS, 60) * 1000;
        if (command.getAction() == CommandAction.ROLLBACK) {
            Move move = moves.get(command.getRollbackOf());
            if (move == null) {
                return ack(command, AckStatus.FAILED, "no drain_hot_partition command " + command.getRollbackOf()
                        + " was applied here", details);
            }
            return moveTo(command, move.partition(), move.from(), waitMillis, details, AckStatus.ROLLED_BACK);
        }
        String text = command.getParams().get(Strategies.PARAM_FROM_PARTITION);
        if (text == null || text.isBlank()) {
            return ack(command, AckStatus.FAILED, "drain_hot_partition needs " + Strategies.PARAM_FROM_PARTITION
                    + " (the hot partition)", details);
        }
        int partition;
        try {
            partition = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            partition = -1;
        }
        if (partition < 0) {
            return ack(command, AckStatus.FAILED, "parameter " + Strategies.PARAM_FROM_PARTITION
                    + " must be a partition number >= 0, was '" + text + "'", details);
        }
        return moveTo(command, partition, command.getParams().get(Strategies.PARAM_TO_HOST), waitMillis, details,
                AckStatus.APPLIED);
    }

    private CommandAck moveTo(RemediationCommand command, int partition, String wanted, long waitMillis,
                              Map<String, String> details, AckStatus done) throws InterruptedException {
        List<StreamsMetadata> clients = List.copyOf(streams.metadataForAllStreamsClients());
        String from = activeHost(clients, partition).orElse(null);
        details.put("partition", Integer.toString(partition));
        details.put("from_host", String.valueOf(from));
        if (from == null) {
            return ack(command, AckStatus.FAILED, "partition " + partition + " of " + vectorsTopic
                    + " has no active instance now (rebalancing, or no such partition)", details);
        }
        String to = wanted != null && !wanted.isBlank() ? wanted.trim() : leastLoaded(clients, partition, from).orElse(null);
        if (to == null) {
            return ack(command, AckStatus.FAILED, "no other instance of the index to move partition " + partition
                    + " to (one instance: scale out first)", details);
        }
        if (clients.stream().noneMatch(c -> host(c).equals(to))) {
            return ack(command, AckStatus.FAILED, "instance " + to + " is not a member of the index application", details);
        }
        boolean warm = clients.stream().anyMatch(c -> host(c).equals(to) && holds(c.standbyTopicPartitions(), partition));
        details.put("to_host", to);
        details.put("standby_on_target", Boolean.toString(warm));
        if (to.equals(from)) {
            moves.put(command.getCommandId(), new Move(partition, from, to));
            return ack(command, done, "partition " + partition + " is already active on " + to, details);
        }
        if (command.getDryRun()) {
            return ack(command, done, "would move partition " + partition + "'s active task from " + from + " to " + to
                    + (warm ? " (it holds a standby: no rebuild)" : " (no standby there: it restores the changelog)"),
                    details);
        }
        long start = System.nanoTime();
        pins.pin(partition, new TaskPins.Pin(to, command.getCommandId()));
        pins.requestRebalance();
        long deadline = start + waitMillis * 1_000_000;
        while (!activeHost(List.copyOf(streams.metadataForAllStreamsClients()), partition).map(to::equals).orElse(false)) {
            if (System.nanoTime() > deadline) {
                return ack(command, AckStatus.FAILED, "partition " + partition + " did not become active on " + to
                        + " within " + waitMillis / 1000 + " s (the pin stays; the next rebalance honours it)", details);
            }
            Thread.sleep(POLL_MILLIS);
        }
        moves.put(command.getCommandId(), new Move(partition, from, to));
        double seconds = (System.nanoTime() - start) / 1e9;
        details.put("seconds", String.format(java.util.Locale.ROOT, "%.1f", seconds));
        return ack(command, done, "moved partition " + partition + "'s active task from " + from + " to " + to + " in "
                + String.format(java.util.Locale.ROOT, "%.1f", seconds) + " s", details);
    }

    /** The instance whose active task owns {@code partition}. */
    private Optional<String> activeHost(List<StreamsMetadata> clients, int partition) {
        return clients.stream().filter(c -> holds(c.topicPartitions(), partition)).map(DrainCommandExecutor::host).findFirst();
    }

    /** Another instance: one with a standby of the partition first, then the fewest active partitions, then by name. */
    private Optional<String> leastLoaded(List<StreamsMetadata> clients, int partition, String from) {
        return clients.stream().filter(c -> !host(c).equals(from))
                .min(Comparator.comparing((StreamsMetadata c) -> !holds(c.standbyTopicPartitions(), partition))
                        .thenComparingLong(c -> c.topicPartitions().stream().filter(tp -> tp.topic().equals(vectorsTopic)).count())
                        .thenComparing(DrainCommandExecutor::host))
                .map(DrainCommandExecutor::host);
    }

    private boolean holds(Set<org.apache.kafka.common.TopicPartition> partitions, int partition) {
        return partitions.stream().anyMatch(tp -> tp.topic().equals(vectorsTopic) && tp.partition() == partition);
    }

    private static String host(StreamsMetadata client) {
        return client.hostInfo().host() + ":" + client.hostInfo().port();
    }

    private CommandAck ack(RemediationCommand command, AckStatus status, String detail, Map<String, String> details) {
        if (status == AckStatus.FAILED) {
            LOG.info("Command {} (drain_hot_partition on {}) failed: {}", command.getCommandId(), command.getCollection(), detail);
        }
        return CommandAcks.of(command, executorId, status, detail, details, clock.millis());
    }
}
