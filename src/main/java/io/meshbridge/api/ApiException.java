package io.meshbridge.api;

/**
 * A request the API refuses, with the HTTP status and a reason for the client (never a secret, never a stack
 * trace): {@code 400} for a bad parameter, {@code 404} for an unknown resource, {@code 409} for a state that
 * does not allow the operation, {@code 503} when NATS cannot answer.
 */
public final class ApiException extends RuntimeException {

    private final int status;

    /** A refusal with {@code status} (400 to 599) and {@code reason}. */
    public ApiException(int status, String reason) {
        super(reason);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 400 to 599, was " + status);
        }
        this.status = status;
    }

    /** A refusal with {@code status} and {@code reason}, caused by {@code cause} (kept for the log only). */
    public ApiException(int status, String reason, Throwable cause) {
        this(status, reason);
        initCause(cause);
    }

    /** {@code 400}: a bad parameter, named in {@code reason}. */
    public static ApiException badRequest(String reason) {
        return new ApiException(400, reason);
    }

    /** {@code 404}: {@code what} does not exist. */
    public static ApiException notFound(String what) {
        return new ApiException(404, what);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
