package io.ruvector.cdc.rebalance;

import io.ruvector.cdc.route.PartitionRouter;
import io.ruvector.cdc.route.RouteAnnouncer;
import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CollectionSpec;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.PartitionMap;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.CommandAcks;
import io.ruvector.schemas.healing.CommandExecutor;
import io.ruvector.schemas.healing.Strategies;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture's executor of {@code rebalance_partitions}: the capture owns routing, so it publishes
 * the next {@link PartitionMap} epoch of the collection, moving a share of the hot partition's
 * buckets to the cold one, and announces it at once; the index then hands the rows of those
 * buckets over (docs/topics.md, Bucket hand-off). The map records the one it replaced and the
 * command, so a ROLLBACK publishes yet another epoch with the previous assignment (the buckets
 * hand back the same way) — refused when a later map superseded the command's.
 *
 * <p>Params: {@code from_partition}, {@code to_partition} (required, distinct, within the vectors
 * topic), {@code move_fraction} (in (0, 1], default 0.5), spread evenly over the hot partition's
 * buckets. Ack details: {@code epoch}, {@code previous_epoch}, {@code buckets_moved}, {@code from_partition},
 * {@code to_partition}.
 */
public final class RebalanceCommandExecutor implements CommandExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(RebalanceCommandExecutor.class);
    static final double DEFAULT_MOVE_FRACTION = 0.5;

    private final PartitionRouter router;
    private final RouteAnnouncer announcer;
    private final Producer<String, PartitionMap> maps;
    private final String partitionMapTopic;
    private final Function<String, CollectionSpec> specs;
    private final String executorId;
    private final Clock clock;

    /**
     * @param maps              producer of the compacted partition-map topic (the caller owns it)
     * @param partitionMapTopic that topic
     * @param specs             collection by name, null when unknown
     * @param deployment        the capture deployment: the executor id is {@code capture@<deployment>}
     */
    public RebalanceCommandExecutor(PartitionRouter router, RouteAnnouncer announcer, Producer<String, PartitionMap> maps,
                                    String partitionMapTopic, Function<String, CollectionSpec> specs, String deployment,
                                    Clock clock) {
        this.router = Objects.requireNonNull(router, "router");
        this.announcer = Objects.requireNonNull(announcer, "announcer");
        this.maps = Objects.requireNonNull(maps, "maps");
        this.partitionMapTopic = Objects.requireNonNull(partitionMapTopic, "partitionMapTopic");
        this.specs = Objects.requireNonNull(specs, "specs");
        this.executorId = "capture@" + Objects.requireNonNull(deployment, "deployment");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String executorId() {
        return executorId;
    }

    @Override
    public Set<String> strategies() {
        return Set.of(Strategies.REBALANCE_PARTITIONS);
    }

    @Override
    public CommandAck execute(RemediationCommand command) {
        try {
            CollectionSpec spec = specs.apply(command.getCollection());
            if (spec == null) {
                return ack(command, AckStatus.FAILED, "collection " + command.getCollection() + " is not registered", Map.of());
            }
            PartitionMap current = currentMap(spec);
            return command.getAction() == CommandAction.ROLLBACK ? rollback(command, current) : apply(command, current);
        } catch (IllegalArgumentException e) {
            return ack(command, AckStatus.FAILED, e.getMessage(), Map.of());
        } catch (RuntimeException e) { // the contract: answer FAILED, never throw
            LOG.warn("rebalance command {} failed: {}", command.getCommandId(), e.toString());
            return ack(command, AckStatus.FAILED, "failed: " + e.getMessage(), Map.of());
        }
    }

    private CommandAck apply(RemediationCommand command, PartitionMap current) {
        if (command.getCommandId().equals(current.getCommandId())) {
            // published before a crash that lost the ack: the dispatcher hands it over again
            return ack(command, AckStatus.APPLIED, "already published as epoch " + current.getEpoch(),
                    Map.of("epoch", Long.toString(current.getEpoch())));
        }
        Map<String, String> params = command.getParams();
        int from = partitionParam(params, Strategies.PARAM_FROM_PARTITION);
        List<Integer> to = receivers(params);
        BucketMove move = BucketMove.of(current, from, to, fractionParam(params), command.getCommandId());
        int moved = move.moved();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("previous_epoch", Long.toString(current.getEpoch()));
        details.put("epoch", Long.toString(current.getEpoch() + 1));
        details.put("buckets_moved", Integer.toString(moved));
        details.put(Strategies.PARAM_FROM_PARTITION, Integer.toString(from));
        details.put(Strategies.PARAM_TO_PARTITIONS, to.stream().map(String::valueOf).collect(Collectors.joining(",")));
        String plan = "move " + moved + " of partition " + from + "'s " + move.owned() + " buckets to partition"
                + (to.size() == 1 ? " " + to.getFirst() : "s " + to)
                + " (epoch " + current.getEpoch() + " → " + (current.getEpoch() + 1) + ")";
        if (command.getDryRun()) {
            return ack(command, AckStatus.APPLIED, "would " + plan, details);
        }
        publish(move.next());
        return ack(command, AckStatus.APPLIED, "published: " + plan + "; the index hands the rows over", details);
    }

    private CommandAck rollback(RemediationCommand command, PartitionMap current) {
        if (command.getCommandId().equals(current.getCommandId())) {
            return ack(command, AckStatus.ROLLED_BACK, "already restored as epoch " + current.getEpoch(),
                    Map.of("epoch", Long.toString(current.getEpoch())));
        }
        java.util.Optional<PartitionMap> previous = BucketMove.undo(current, command.getRollbackOf(), command.getCommandId());
        if (previous.isEmpty()) {
            return ack(command, AckStatus.FAILED, "nothing to roll back: epoch " + current.getEpoch() + " of "
                    + command.getCollection() + " was not published by command " + command.getRollbackOf(), Map.of());
        }
        Map<String, String> details = Map.of("previous_epoch", Long.toString(current.getEpoch()),
                "epoch", Long.toString(current.getEpoch() + 1));
        if (command.getDryRun()) {
            return ack(command, AckStatus.ROLLED_BACK, "would restore the map before epoch " + current.getEpoch(),
                    details);
        }
        publish(previous.get());
        return ack(command, AckStatus.ROLLED_BACK, "restored the map before epoch " + current.getEpoch() + " as epoch "
                + (current.getEpoch() + 1) + "; the index hands the rows back", details);
    }

    private PartitionMap currentMap(CollectionSpec spec) {
        PartitionMap installed = router.installed(spec.getName());
        return installed != null ? installed : router.initialMap(spec);
    }

    /** Durable first (the compacted topic), then routed by: a crash in between re-announces on the next start. */
    private void publish(PartitionMap map) {
        try {
            maps.send(new ProducerRecord<>(partitionMapTopic, map.getCollection(), map)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish epoch " + map.getEpoch() + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing epoch " + map.getEpoch(), e);
        }
        announcer.install(map);
    }

    /** {@code to_partitions} (comma-separated), else {@code to_partition}. */
    private List<Integer> receivers(Map<String, String> params) {
        String list = params.get(Strategies.PARAM_TO_PARTITIONS);
        if (list == null || list.isBlank()) {
            return List.of(partitionParam(params, Strategies.PARAM_TO_PARTITION));
        }
        List<Integer> out = new ArrayList<>();
        for (String p : list.split(",")) {
            out.add(partition(Strategies.PARAM_TO_PARTITIONS, p));
        }
        return out;
    }

    private int partitionParam(Map<String, String> params, String name) {
        String raw = params.get(name);
        if (raw == null) {
            throw new IllegalArgumentException("param " + name + " is required");
        }
        return partition(name, raw);
    }

    private int partition(String name, String raw) {
        int p;
        try {
            p = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("param " + name + " is not a partition number: '" + raw + "'");
        }
        if (p < 0 || p >= router.topicPartitions()) {
            throw new IllegalArgumentException("param " + name + " = " + p + " is outside the vectors topic's "
                    + router.topicPartitions() + " partitions");
        }
        return p;
    }

    private static double fractionParam(Map<String, String> params) {
        String raw = params.get(Strategies.PARAM_MOVE_FRACTION);
        if (raw == null) {
            return DEFAULT_MOVE_FRACTION;
        }
        try {
            return Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("param move_fraction is not a number: '" + raw + "'");
        }
    }

    private CommandAck ack(RemediationCommand command, AckStatus status, String detail, Map<String, String> details) {
        return CommandAcks.of(command, executorId, status, detail, details, clock.millis());
    }
}
