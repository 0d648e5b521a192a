package io.ruvector.index.drain;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.assignment.ApplicationState;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment.AssignedTask;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsState;
import org.apache.kafka.streams.processor.assignment.ProcessId;
import org.apache.kafka.streams.processor.assignment.TaskAssignor;
import org.apache.kafka.streams.processor.assignment.assignors.StickyTaskAssignor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index application's task assignor (KIP-924, {@code task.assignor.class}): Kafka Streams'
 * sticky assignment, then every {@link TaskPins pinned} partition's active task moved to the
 * pinned instance. The instance it leaves keeps a standby of it, and the one it reaches drops its
 * standby (now active), so with standbys configured the move costs no rebuild: the new owner was
 * already restoring the partition's changelog. A pin naming no current member is ignored (the
 * instance is gone). Runs on the group leader.
 */
public final class PinningTaskAssignor implements TaskAssignor {

    private static final Logger LOG = LoggerFactory.getLogger(PinningTaskAssignor.class);

    private final StickyTaskAssignor sticky = new StickyTaskAssignor();
    private TaskPins pins = new TaskPins();

    @Override
    public void configure(Map<String, ?> configs) {
        sticky.configure(configs);
        if (configs.get(TaskPins.CONFIG_KEY) instanceof TaskPins given) {
            pins = given;
        }
    }

    @Override
    public TaskAssignment assign(ApplicationState state) {
        TaskAssignment base = sticky.assign(state);
        Map<Integer, TaskPins.Pin> wanted = pins.all();
        if (wanted.isEmpty()) {
            return base;
        }
        Map<ProcessId, KafkaStreamsAssignment> byProcess = new HashMap<>();
        base.assignment().forEach(a -> byProcess.put(a.processId(), a));
        Map<ProcessId, KafkaStreamsState> clients = state.kafkaStreamsStates(false);
        for (Map.Entry<Integer, TaskPins.Pin> pin : wanted.entrySet()) {
            Optional<ProcessId> target = clients.values().stream()
                    .filter(c -> c.hostInfo().map(h -> (h.host() + ":" + h.port()).equals(pin.getValue().host())).orElse(false))
                    .map(KafkaStreamsState::processId).findFirst();
            if (target.isEmpty()) {
                LOG.info("pin of partition {} names {}, not a member now: ignored", pin.getKey(), pin.getValue().host());
                continue;
            }
            for (TaskId task : state.allTasks().keySet()) {
                if (task.partition() == pin.getKey()) {
                    move(byProcess, task, target.get());
                }
            }
        }
        return new TaskAssignment(byProcess.values());
    }

    /** Makes {@code to} the active owner of {@code task}; the previous owner keeps a standby. */
    private static void move(Map<ProcessId, KafkaStreamsAssignment> byProcess, TaskId task, ProcessId to) {
        KafkaStreamsAssignment target = byProcess.get(to);
        if (target == null) {
            return;
        }
        AssignedTask current = target.tasks().get(task);
        if (current != null && current.type() == AssignedTask.Type.ACTIVE) {
            return; // already there
        }
        for (KafkaStreamsAssignment other : byProcess.values()) {
            AssignedTask held = other.tasks().get(task);
            if (held != null && held.type() == AssignedTask.Type.ACTIVE && !other.processId().equals(to)) {
                other.removeTask(held);
                other.assignTask(new AssignedTask(task, AssignedTask.Type.STANDBY)); // warm for a move back
            }
        }
        if (current != null) {
            target.removeTask(current); // its standby becomes the active task
        }
        target.assignTask(new AssignedTask(task, AssignedTask.Type.ACTIVE));
    }
}
