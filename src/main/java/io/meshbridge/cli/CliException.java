package io.meshbridge.cli;

/**
 * A failure the command line reports as one line on stderr, with the exit code to end with:
 * {@link #RUNTIME} (1) for connection and server problems, {@link #USAGE} (2) for bad arguments.
 */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Exit code of a runtime or connection failure. */
    static final int RUNTIME = 1;

    /** Exit code of a usage error (and of {@code events list --strict} with undecodable messages). */
    static final int USAGE = 2;

    private final int exitCode;

    /** A failure with its message (one line) and exit code. */
    CliException(String message, int exitCode) {
        this(message, exitCode, null);
    }

    /** A failure caused by {@code cause}, shown with {@code --verbose}. */
    CliException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A runtime failure (exit code 1). */
    static CliException runtime(String message, Throwable cause) {
        return new CliException(message, RUNTIME, cause);
    }

    /** The exit code to end with. */
    int exitCode() {
        return exitCode;
    }
}
