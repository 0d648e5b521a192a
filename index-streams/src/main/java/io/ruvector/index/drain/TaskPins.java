package io.ruvector.index.drain;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where an operator (or {@code drain_hot_partition}) wants a partition's active task: partition
 * → instance ({@code application.server}). {@link PinningTaskAssignor} honours the pins at the
 * next rebalance, and {@link #requestRebalance()} asks this instance's stream threads to start
 * one (see {@link RebalanceRequestingConsumer}). One object per index application, shared by the
 * assignor (through the config map), the consumers and the executor. Pins live in memory: every
 * instance's executor receives the same command and installs the same pin, so whichever
 * instance leads the group assigns by it; after a restart the sticky assignment keeps the tasks
 * where they are. Thread-safe.
 */
public final class TaskPins {

    /** The main-consumer config key that carries this object to the assignor (see {@code IndexService}). */
    public static final String CONFIG_KEY = "ruvector.task.pins";

    /** A pin: the instance that should run the partition's active task, and the command that asked. */
    public record Pin(String host, String commandId) {
        public Pin {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(commandId, "commandId");
        }
    }

    private final Map<Integer, Pin> pins = new ConcurrentHashMap<>();
    private final AtomicLong requested = new AtomicLong();

    /** Pins {@code partition}'s active task to {@code pin.host()}, replacing an earlier pin. */
    public void pin(int partition, Pin pin) {
        pins.put(partition, Objects.requireNonNull(pin, "pin"));
    }

    /** Removes the pin of {@code partition}; the sticky assignment then keeps the task where it is. */
    public void unpin(int partition) {
        pins.remove(partition);
    }

    public Optional<Pin> pinOf(int partition) {
        return Optional.ofNullable(pins.get(partition));
    }

    /** A copy of every pin. */
    public Map<Integer, Pin> all() {
        return Map.copyOf(pins);
    }

    /** Asks every stream thread of this instance to start a rebalance at its next poll. */
    public void requestRebalance() {
        requested.incrementAndGet();
    }

    /** How many rebalances were requested so far: a consumer enforces one when this passed what it saw. */
    long rebalancesRequested() {
        return requested.get();
    }
}
