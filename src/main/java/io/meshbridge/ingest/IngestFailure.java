package io.meshbridge.ingest;

/**
 * A request refused with an HTTP status and a reason for the client; the reason never holds a secret.
 * {@code retry} marks a refusal the client should retry later (503, 429: answered with {@code Retry-After}).
 */
public final class IngestFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean retry;

    IngestFailure(int status, String reason) {
        this(status, reason, status == 503 || status == 429);
    }

    IngestFailure(int status, String reason, boolean retry) {
        super(reason, null, false, false);
        this.status = status;
        this.retry = retry;
    }

    /** The HTTP status of the refusal (400, 413, 503, ...). */
    public int status() {
        return status;
    }

    /** Whether the client should retry later. */
    public boolean retry() {
        return retry;
    }
}
