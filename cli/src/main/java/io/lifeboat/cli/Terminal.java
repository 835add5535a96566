package io.lifeboat.cli;

import java.io.Console;

/** Whether a person is at a terminal: decides progress bars and password prompts. */
final class Terminal {
    private Terminal() {
    }

    /**
     * The console if standard input and output are a terminal, else null. Since JDK 22
     * {@link System#console()} may return a console for redirected streams; {@code isTerminal()}
     * (looked up reflectively, since the build targets Java 21) tells them apart.
     */
    static Console interactiveConsole() {
        Console c = System.console();
        if (c == null) {
            return null;
        }
        try {
            Object terminal = Console.class.getMethod("isTerminal").invoke(c);
            return Boolean.TRUE.equals(terminal) ? c : null;
        } catch (ReflectiveOperationException e) {
            return c;
        }
    }
}
