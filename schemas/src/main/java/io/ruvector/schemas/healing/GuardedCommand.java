package io.ruvector.schemas.healing;

import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.RemediationCommand;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * What every executor does around its own work, so that a command never throws: an expired command
 * answers EXPIRED and a ROLLBACK naming no command FAILED, both before any work; bad parameters
 * ({@link IllegalArgumentException}) and a refused remote call ({@link IOException}) answer FAILED
 * with their message; anything else answers FAILED too, logged with its stack trace.
 */
public final class GuardedCommand {

    /** The executor's own work, filling {@code details} for the ack. */
    @FunctionalInterface
    public interface Work {
        CommandAck run(Map<String, String> details) throws InterruptedException, IOException;
    }

    /** The executor's ack (it logs its failures its own way). */
    @FunctionalInterface
    public interface Acker {
        CommandAck ack(AckStatus status, String detail, Map<String, String> details);
    }

    private GuardedCommand() {
    }

    public static CommandAck run(RemediationCommand command, Clock clock, Logger log, Acker acker, Work work) {
        Objects.requireNonNull(command, "command");
        Map<String, String> details = new LinkedHashMap<>();
        try {
            if (command.getExpiresAtMillis() < clock.millis()) {
                return acker.ack(AckStatus.EXPIRED, "expired at " + command.getExpiresAtMillis() + "; not applied", details);
            }
            if (command.getAction() == CommandAction.ROLLBACK && command.getRollbackOf() == null) {
                return acker.ack(AckStatus.FAILED, "ROLLBACK names no command (rollbackOf is empty)", details);
            }
            return work.run(details);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return acker.ack(AckStatus.FAILED, "interrupted while applying " + command.getStrategy(), details);
        } catch (IllegalArgumentException | IOException e) { // bad parameters, or a remote API refused: the message says it
            return acker.ack(AckStatus.FAILED, command.getStrategy() + " failed: " + e.getMessage(), details);
        } catch (RuntimeException e) {
            log.warn("Command {} ({} on {}) failed", command.getCommandId(), command.getStrategy(), command.getCollection(), e);
            return acker.ack(AckStatus.FAILED, command.getStrategy() + " failed: " + e, details);
        }
    }
}
