package io.ruvector.schemas.healing;

import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.RemediationCommand;
import java.util.LinkedHashMap;
import java.util.Map;

/** The ack an executor answers a command with: the command's identity, the executor's verdict. */
public final class CommandAcks {

    private CommandAcks() {
    }

    /**
     * @param executorId who applied ({@link CommandExecutor#executorId()})
     * @param detail     one line for a human: what was done, or why not
     * @param details    what the engine and the audit need (fractions, counts, expiry)
     */
    public static CommandAck of(RemediationCommand command, String executorId, AckStatus status, String detail,
                                Map<String, String> details, long ackedAtMillis) {
        return CommandAck.newBuilder()
                .setCommandId(command.getCommandId())
                .setCollection(command.getCollection())
                .setTenant(command.getTenant())
                .setStrategy(command.getStrategy())
                .setStatus(status)
                .setExecutor(executorId)
                .setDetail(detail)
                .setDryRun(command.getDryRun())
                .setDetails(new LinkedHashMap<>(details))
                .setAckedAtMillis(ackedAtMillis)
                .build();
    }
}
