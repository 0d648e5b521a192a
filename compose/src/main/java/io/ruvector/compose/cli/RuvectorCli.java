package io.ruvector.compose.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./ruvector}: the command line of RuVector Streams. */
@Command(name = "ruvector", mixinStandardHelpOptions = true, version = "RuVector Streams 0.1.0",
        description = "Vector search next to PostgreSQL: CDC from pgvector tables into a partitioned, self-healing index.",
        subcommands = {RunCommand.class, DemoCommand.class, RegisterCommand.class, TailCommand.class,
                DoctorCommand.class, UninstallCommand.class, BenchCommand.class, AuditCommand.class, HealCommand.class,
                TiersCommand.class, MigrateCommand.class, ConnectConfigCommand.class, CommandLine.HelpCommand.class})
public final class RuvectorCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a failing command prints one line naming the problem, exit 2. */
    public static CommandLine commandLine() {
        return new CommandLine(new RuvectorCli())
                .setCaseInsensitiveEnumValuesAllowed(true) // --via connect, --dataset FASHION_MNIST
                .setOut(new java.io.PrintWriter(System.out, true))
                .setErr(new java.io.PrintWriter(System.err, true))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + messageOf(e));
                    return 2;
                });
    }

    private static String messageOf(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.apache.kafka.common.errors.TimeoutException) {
                return "Kafka did not answer in time (" + c.getMessage() + "): is the runtime running "
                        + "(./ruvector run or demo), and is --kafka its address?";
            }
        }
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
