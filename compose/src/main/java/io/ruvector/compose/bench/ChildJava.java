package io.ruvector.compose.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The start of a child JVM's command line as the {@code ruvector} launcher starts one, on this JVM's classpath. */
final class ChildJava {

    private static final String ARCHIVE_OPTION = "-XX:SharedArchiveFile=";

    private ChildJava() {
    }

    /**
     * The class data archive the launcher gave this JVM ({@code compose/target/ruvector.jsa}),
     * whether or not it exists yet; empty when started without one ({@code RUVECTOR_CDS=off}, or
     * not through the launcher).
     */
    static Optional<Path> classDataArchive() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.startsWith(ARCHIVE_OPTION))
                .map(option -> Path.of(option.substring(ARCHIVE_OPTION.length())))
                .findFirst();
    }

    /** Whether children map a class data archive: the launcher gave one and it exists. */
    static boolean classDataShared() {
        return classDataArchive().filter(Files::isRegularFile).isPresent();
    }

    /**
     * {@code java} with the launcher's options (its class data archive, read only: a child does not
     * write it), {@code heap} as {@code -Xmx}, and the CLI's main class.
     */
    static List<String> cli(String heap) {
        return command(heap, false);
    }

    /** As {@link #cli}, writing the class data archive when the child exits cleanly if it does not exist. */
    static List<String> cliWritingClassData(String heap) {
        return command(heap, true);
    }

    private static List<String> command(String heap, boolean writeArchive) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xss4m", "-Xmx" + heap));
        if (Runtime.version().feature() >= 23) { // Kafka's clients still call sun.misc.Unsafe: no warning, as the launcher
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        classDataArchive().ifPresent(archive -> {
            if (writeArchive) {
                command.add("-XX:+AutoCreateSharedArchive");
            }
            command.add(ARCHIVE_OPTION + archive);
            command.add("-Xlog:cds*=off"); // the JVM's notes on classes it leaves out of the archive
        });
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ruvector.compose.cli.RuvectorCli"));
        return command;
    }
}
