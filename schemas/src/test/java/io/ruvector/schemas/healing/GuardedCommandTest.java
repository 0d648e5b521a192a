package io.ruvector.schemas.healing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.RemediationCommand;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The guard around every executor's work: a command is always answered, never thrown out. */
class GuardedCommandTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(10_000), ZoneOffset.UTC);
    private final AtomicInteger runs = new AtomicInteger();

    private static RemediationCommand command(CommandAction action, long expiresAt, String rollbackOf) {
        return RemediationCommand.newBuilder().setCommandId("c1").setCollection("docs").setTenant(null)
                .setStrategy("compact_indexes").setAction(action).setParams(new HashMap<>()).setDryRun(false)
                .setIssuedAtMillis(0).setExpiresAtMillis(expiresAt).setRollbackOf(rollbackOf).setSignerId("")
                .setSignature(java.nio.ByteBuffer.allocate(0)).build();
    }

    private CommandAck run(RemediationCommand command, GuardedCommand.Work work) {
        return GuardedCommand.run(command, CLOCK, LoggerFactory.getLogger(GuardedCommandTest.class),
                (status, detail, details) -> CommandAcks.of(command, "test", status, detail, details, CLOCK.millis()),
                details -> {
                    runs.incrementAndGet();
                    return work.run(details);
                });
    }

    @Test
    void shouldAnswerExpiredAndNamelessRollbacksWithoutRunningTheWork() {
        CommandAck expired = run(command(CommandAction.APPLY, 9_999, null), d -> null);
        CommandAck nameless = run(command(CommandAction.ROLLBACK, 20_000, null), d -> null);

        assertThat(expired.getStatus()).isEqualTo(AckStatus.EXPIRED);
        assertThat(nameless.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(nameless.getDetail()).contains("rollbackOf is empty");
        assertThat(runs).hasValue(0);
    }

    @Test
    void shouldTurnEveryFailureOfTheWorkIntoAFailedAckNamingIt() {
        RemediationCommand live = command(CommandAction.APPLY, 20_000, null);

        CommandAck bad = run(live, d -> {
            d.put("partition", "3");
            throw new IllegalArgumentException("slice_millis must be > 0, was -1");
        });
        CommandAck refused = run(live, d -> {
            throw new IOException("HTTP 403 from the Kubernetes API");
        });
        CommandAck bug = run(live, d -> {
            throw new IllegalStateException("boom");
        });

        assertThat(bad.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(bad.getDetail()).isEqualTo("compact_indexes failed: slice_millis must be > 0, was -1");
        assertThat(bad.getDetails()).containsEntry("partition", "3");
        assertThat(refused.getDetail()).contains("HTTP 403");
        assertThat(bug.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(bug.getDetail()).contains("IllegalStateException: boom");
        assertThat(runs).hasValue(3);
    }

    @Test
    void shouldReturnTheWorksOwnAckAndKeepTheInterruptFlag() {
        RemediationCommand live = command(CommandAction.ROLLBACK, 20_000, "c0");

        CommandAck done = run(live, d -> CommandAcks.of(live, "test", AckStatus.ROLLED_BACK, "undone", d, 1));
        CommandAck interrupted = run(live, d -> {
            throw new InterruptedException();
        });

        assertThat(done.getStatus()).isEqualTo(AckStatus.ROLLED_BACK);
        assertThat(interrupted.getStatus()).isEqualTo(AckStatus.FAILED);
        assertThat(Thread.interrupted()).as("the interrupt is kept (and cleared here)").isTrue();
    }
}
