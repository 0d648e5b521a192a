package io.ruvector.compose.cli;

import java.io.Console;

/** Whether standard output is a person's terminal: progress bars only there, never in a log or a pipe. */
final class Terminal {

    private Terminal() {
    }

    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+ returns a Console for redirected streams too; isTerminal() tells them apart
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a Console exists only on a terminal
        }
    }
}
