package io.ruvector.index.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.Strategies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link ScaleCommandExecutor} without Kubernetes, over counted threads (the real
 * {@code addStreamThread} runs in {@code HealingScaleIT}): adds up to the cap, a dry run adds
 * nothing, a rollback removes what the command added.
 */
class ScaleCommandExecutorTest {

    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_800_000_000_000L), ZoneOffset.UTC);
    private final CountedThreads threads = new CountedThreads();
    private final ScaleCommandExecutor executor = new ScaleCommandExecutor("host:1", threads, null, clock);
    private int sequence;

    @Test
    void shouldAddThreadsUpToTheCapAndRemoveThemOnRollback() {
        CommandAck dry = executor.execute(RemediationCommand.newBuilder(command(Map.of("threads", "2", "max_threads", "4")))
                .setDryRun(true).build());
        assertThat(dry.getDetail()).isEqualTo("would add 2 stream threads (1 -> 3)");
        assertThat(threads.count()).as("a dry run adds nothing").isEqualTo(1);

        CommandAck applied = executor.execute(command(Map.of("threads", "5", "max_threads", "3")));
        assertThat(applied.getStatus()).isEqualTo(AckStatus.APPLIED);
        assertThat(applied.getDetails()).containsEntry("threads_before", "1").containsEntry("threads_after", "3")
                .containsEntry("threads_added", "t-2,t-3");

        CommandAck full = executor.execute(command(Map.of("max_threads", "3")));
        assertThat(full.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(full.getDetail()).contains("already runs 3 stream threads");

        CommandAck undone = executor.execute(RemediationCommand.newBuilder(command(Map.of()))
                .setAction(CommandAction.ROLLBACK).setRollbackOf(applied.getCommandId()).build());
        assertThat(undone.getStatus()).isEqualTo(AckStatus.ROLLED_BACK);
        assertThat(threads.count()).isEqualTo(1);
    }

    @Test
    void shouldFailNamingTheParameterWhenItIsBad() {
        CommandAck ack = executor.execute(command(Map.of("threads", "-1")));

        assertThat(ack.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(ack.getDetail()).contains("threads");
        assertThat(threads.count()).isEqualTo(1);
    }

    private RemediationCommand command(Map<String, String> params) {
        return RemediationCommand.newBuilder().setCommandId("cmd-" + ++sequence).setCollection("c")
                .setStrategy(Strategies.SCALE_REPLICAS).setAction(CommandAction.APPLY).setParams(new HashMap<>(params))
                .setIssuedAtMillis(clock.millis()).setExpiresAtMillis(clock.millis() + 60_000).build();
    }

    /** Thread names t-1, t-2, …; one running at first. */
    private static final class CountedThreads implements StreamThreads {
        private int running = 1;
        private int named = 1;

        @Override
        public int count() {
            return running;
        }

        @Override
        public Optional<String> add() {
            running++;
            return Optional.of("t-" + ++named);
        }

        @Override
        public Optional<String> remove(Duration timeout) {
            if (running == 0) {
                return Optional.empty();
            }
            running--;
            return Optional.of("t-" + named);
        }
    }
}
