package io.ruvector.compose.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * This instance's lasting name, kept in its data directory ({@code instance-id}): the index
 * application joins its group as a static member under it. A member that restarts after a crash
 * under the same name takes its place back at once — with a fresh name the group would wait out
 * the dead member's session (45 s) before assigning anything. (Not the exactly-once integrity
 * and healing applications: with static membership the healing engine once stayed unready for
 * over 2 minutes after a SIGKILL in HealingCrashIT; they are not part of readiness.)
 */
record InstanceIdentity(String id) {

    static final String FILE = "instance-id";

    /** The id stored in {@code dataDir}, created on first use. */
    static InstanceIdentity of(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!stored.isEmpty()) {
                    return new InstanceIdentity(stored);
                }
            }
            Files.createDirectories(dataDir);
            String id = UUID.randomUUID().toString();
            Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
            return new InstanceIdentity(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Kafka Streams properties that make {@code application}'s stream threads static group members. */
    Map<String, String> staticMembership(String application) {
        // Kafka Streams appends each stream thread's index to the main consumer's group.instance.id
        return Map.of("main.consumer.group.instance.id", application + "-" + id);
    }
}
