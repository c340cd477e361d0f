package io.meshbridge.app;

/** The worker could not start or stopped on an error; the message says why, in one line. */
public final class WorkerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure with its message. */
    public WorkerException(String message) {
        super(message);
    }

    /** A failure caused by {@code cause}. */
    public WorkerException(String message, Throwable cause) {
        super(message, cause);
    }
}
