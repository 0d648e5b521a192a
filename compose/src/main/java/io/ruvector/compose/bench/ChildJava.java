package io.ruvector.compose.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The start of a child JVM's command line as the {@code ruvector} launcher starts one, on this JVM's classpath. */
final class ChildJava {

    private ChildJava() {
    }

    /** {@code java} with the launcher's options, {@code heap} as {@code -Xmx}, and the CLI's main class. */
    static List<String> cli(String heap) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xss4m", "-Xmx" + heap));
        if (Runtime.version().feature() >= 23) { // Kafka's clients still call sun.misc.Unsafe: no warning, as the launcher
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ruvector.compose.cli.RuvectorCli"));
        return command;
    }
}
