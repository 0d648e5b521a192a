package io.ruvector.cdc.throttle;

import io.ruvector.schemas.AckStatus;
import io.ruvector.schemas.CommandAck;
import io.ruvector.schemas.CommandAction;
import io.ruvector.schemas.RemediationCommand;
import io.ruvector.schemas.healing.CommandAcks;
import io.ruvector.schemas.healing.CommandExecutor;
import io.ruvector.schemas.healing.Strategies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The capture's executor of {@code throttle_ingestion}: installs a per-scope {@link ThrottleCap}
 * into the {@link IngestGates} that the {@link ApplyPacer} obeys. The cap lowers how fast changes
 * are applied (they wait in the replication slot, nothing is lost) until the command expires,
 * when it lapses by itself; a ROLLBACK lifts it earlier.
 *
 * <p>Params: {@code admit_fraction} (required, in (0, 1]) caps point changes;
 * {@code bulk_admit_fraction} (optional, in (0, 1]; default 0.1 below {@code admit_fraction})
 * caps bulk changes. Both are raised to {@link IngestGates#minAdmitFraction()}, the floor every
 * throttle of the capture keeps, and bulk is never above point. Ack details:
 * {@code previous_fraction} (point cap of the scope before, 1.0 when none), {@code admit_fraction},
 * {@code bulk_admit_fraction}, {@code expires_at_millis}.
 */
public final class ThrottleCommandExecutor implements CommandExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ThrottleCommandExecutor.class);
    /** Bulk is throttled this much harder than point changes when the command does not say. */
    static final double BULK_STEP = 0.1;

    private final IngestGates gates;
    private final String executorId;
    private final Clock clock;

    /**
     * @param gates      the gates the capture's pacer reads (the same instance given to {@code CaptureEngine})
     * @param deployment the capture deployment: the executor id is {@code capture@<deployment>}
     * @param clock      decides expiry and ack times; give the gates the same clock
     */
    public ThrottleCommandExecutor(IngestGates gates, String deployment, Clock clock) {
        this.gates = Objects.requireNonNull(gates, "gates");
        this.executorId = "capture@" + Objects.requireNonNull(deployment, "deployment");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String executorId() {
        return executorId;
    }

    @Override
    public Set<String> strategies() {
        return Set.of(Strategies.THROTTLE_INGESTION);
    }

    /** The caps in force now (unexpired), for status and metrics. */
    public List<ThrottleCap> activeCaps() {
        return gates.caps();
    }

    @Override
    public CommandAck execute(RemediationCommand command) {
        try {
            if (!Strategies.THROTTLE_INGESTION.equals(command.getStrategy())) {
                return ack(command, AckStatus.FAILED, "strategy " + command.getStrategy() + " is not executed by "
                        + executorId, Map.of());
            }
            return command.getAction() == CommandAction.ROLLBACK ? rollback(command) : apply(command);
        } catch (RuntimeException e) { // the contract: answer FAILED, never throw
            LOG.warn("throttle command {} failed: {}", command.getCommandId(), e.toString());
            return ack(command, AckStatus.FAILED, "failed: " + e.getMessage(), Map.of());
        }
    }

    @Override
    public void restore(RemediationCommand command) {
        if (command.getAction() != CommandAction.APPLY || command.getDryRun()
                || !Strategies.THROTTLE_INGESTION.equals(command.getStrategy())
                || clock.millis() >= command.getExpiresAtMillis()) {
            return;
        }
        Plan plan = plan(command);
        if (plan instanceof Plan.Invalid invalid) {
            LOG.warn("not restoring throttle command {}: {}", command.getCommandId(), invalid.reason());
            return;
        }
        ThrottleCap cap = ((Plan.Valid) plan).cap();
        gates.installCap(cap);
        LOG.info("restored ingestion cap {} of {} (point {}, bulk {}) until {}", cap.commandId(), cap.scope(),
                cap.admitFraction(), cap.bulkAdmitFraction(), cap.expiresAtMillis());
    }

    private CommandAck apply(RemediationCommand command) {
        long now = clock.millis();
        if (now >= command.getExpiresAtMillis()) {
            return ack(command, AckStatus.EXPIRED, "expired at " + command.getExpiresAtMillis() + ", not applied",
                    Map.of("expires_at_millis", Long.toString(command.getExpiresAtMillis())));
        }
        Plan plan = plan(command);
        if (plan instanceof Plan.Invalid invalid) {
            return ack(command, AckStatus.FAILED, invalid.reason(), Map.of());
        }
        ThrottleCap cap = ((Plan.Valid) plan).cap();
        double previous = gates.cap(cap.scope()).map(ThrottleCap::admitFraction).orElse(1.0);
        Map<String, String> details = details(previous, cap);
        String what = "cap ingestion of " + cap.scope() + " at " + cap.admitFraction() + " (bulk "
                + cap.bulkAdmitFraction() + ") until " + cap.expiresAtMillis();
        if (command.getDryRun()) {
            return ack(command, AckStatus.APPLIED, "would " + what, details);
        }
        gates.installCap(cap);
        LOG.info("ingestion throttle {}: {}", command.getCommandId(), what);
        return ack(command, AckStatus.APPLIED, what, details);
    }

    private CommandAck rollback(RemediationCommand command) {
        String original = command.getRollbackOf();
        if (original == null || original.isBlank()) {
            return ack(command, AckStatus.FAILED, "ROLLBACK needs rollbackOf (the command to undo)", Map.of());
        }
        String scope = scope(command);
        Optional<ThrottleCap> current = gates.cap(scope).filter(c -> c.commandId().equals(original));
        Map<String, String> details = new LinkedHashMap<>();
        current.ifPresent(c -> details.putAll(details(c.admitFraction(), c)));
        details.put("admit_fraction", "1.0"); // what is in force after the lift
        details.put("bulk_admit_fraction", "1.0");
        if (current.isEmpty()) {
            // Already lapsed, replaced by a later command, or never applied here: nothing to undo is success.
            return ack(command, AckStatus.ROLLED_BACK, "no cap of " + original + " in force on " + scope
                    + ": nothing to lift", details);
        }
        if (command.getDryRun()) {
            return ack(command, AckStatus.ROLLED_BACK, "would lift the cap of " + original + " on " + scope, details);
        }
        gates.liftCap(scope, original);
        LOG.info("ingestion throttle {} lifted on {} by {}", original, scope, command.getCommandId());
        return ack(command, AckStatus.ROLLED_BACK, "lifted the cap of " + original + " on " + scope, details);
    }

    /** What an APPLY command asks for, or why it cannot be done. */
    private sealed interface Plan {
        record Valid(ThrottleCap cap) implements Plan {
        }

        record Invalid(String reason) implements Plan {
        }
    }

    private Plan plan(RemediationCommand command) {
        Map<String, String> params = command.getParams();
        String admitText = params.get(Strategies.PARAM_ADMIT_FRACTION);
        Double admit = fraction(admitText);
        if (admit == null) {
            return new Plan.Invalid("param " + Strategies.PARAM_ADMIT_FRACTION + " must be a number in (0, 1], was "
                    + (admitText == null ? "missing" : "'" + admitText + "'"));
        }
        double floor = gates.minAdmitFraction();
        double point = Math.max(floor, admit);
        double bulk;
        String bulkText = params.get(Strategies.PARAM_BULK_ADMIT_FRACTION);
        if (bulkText == null) {
            bulk = point - BULK_STEP;
        } else {
            Double b = fraction(bulkText);
            if (b == null) {
                return new Plan.Invalid("param " + Strategies.PARAM_BULK_ADMIT_FRACTION
                        + " must be a number in (0, 1], was '" + bulkText + "'");
            }
            bulk = b;
        }
        bulk = Math.max(floor, Math.min(point, bulk));
        return new Plan.Valid(new ThrottleCap(scope(command), command.getCommandId(), point, bulk,
                command.getExpiresAtMillis()));
    }

    /** The value as a fraction in (0, 1], or null when missing, not a number, NaN or out of range. */
    private static Double fraction(String text) {
        if (text == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(text.trim());
            return v > 0 && v <= 1 ? v : null; // false for NaN too
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String scope(RemediationCommand command) {
        String tenant = command.getTenant();
        return tenant == null || tenant.isEmpty() ? command.getCollection() : command.getCollection() + "/" + tenant;
    }

    private static Map<String, String> details(double previous, ThrottleCap cap) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("previous_fraction", Double.toString(previous));
        d.put("admit_fraction", Double.toString(cap.admitFraction()));
        d.put("bulk_admit_fraction", Double.toString(cap.bulkAdmitFraction()));
        d.put("expires_at_millis", Long.toString(cap.expiresAtMillis()));
        return d;
    }

    private CommandAck ack(RemediationCommand command, AckStatus status, String detail, Map<String, String> details) {
        return CommandAcks.of(command, executorId, status, detail, details, clock.millis());
    }
}
