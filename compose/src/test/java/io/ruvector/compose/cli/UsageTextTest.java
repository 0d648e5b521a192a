package io.ruvector.compose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every help text is a format string to picocli: a bare {@code %} (as in "85 % of it") made
 * {@code run --help} print a picocli WARN per line instead of the text. Every command's help
 * renders without one.
 */
class UsageTextTest {

    @Test
    void shouldRenderEveryCommandsHelpWithoutAFormatWarning() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        List<String> helps = new ArrayList<>();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try { // picocli warns on System.err when a description does not format, and prints it raw
            render(RuvectorCli.commandLine(), helps);
        } finally {
            System.setErr(err);
        }
        assertThat(helps).hasSizeGreaterThan(10);
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("WARN");
        assertThat(String.join("\n", helps)).contains("above 85 % of it").doesNotContain("%%");
    }

    private static void render(CommandLine line, List<String> helps) {
        helps.add(line.getUsageMessage(CommandLine.Help.Ansi.OFF));
        line.getSubcommands().values().forEach(sub -> render(sub, helps));
    }
}
