package io.meshbridge.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Reports failures of the command line as one line on stderr: usage errors with a pointer to the help
 * (exit 2), {@link CliException}s with their message and code, anything else with its message (exit 1).
 * With {@code --verbose} the stack trace follows.
 */
final class Failures {

    private Failures() {
    }

    static void install(CommandLine cl) {
        cl.setParameterExceptionHandler(Failures::usage);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failure(ex, commandLine));
    }

    private static int usage(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(oneLine(ex.getMessage()) + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        if (Main.verbose(cl.getCommandSpec())) {
            ex.printStackTrace(err);
        }
        err.flush();
        return CliException.USAGE;
    }

    private static int failure(Exception ex, CommandLine cl) {
        PrintWriter err = cl.getErr();
        int code = ex instanceof CliException c ? c.exitCode() : CliException.RUNTIME;
        String message = ex instanceof CliException ? ex.getMessage() : describe(ex);
        err.println(oneLine(message));
        if (Main.verbose(cl.getCommandSpec())) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static String describe(Throwable ex) {
        String message = ex.getMessage();
        return message == null || message.isBlank() ? ex.getClass().getName()
                : ex.getClass().getSimpleName() + ": " + message;
    }

    static String oneLine(String text) {
        return text == null ? "" : text.strip().replace('\r', ' ').replace('\n', ' ');
    }
}
