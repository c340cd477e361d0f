package io.meshbridge.camel;

/**
 * A failure that retrying cannot fix: bad input, a rejected request, a violated rule.
 *
 * <p>When an exchange started by a {@code mesh:} consumer fails with this exception, or with any exception
 * whose cause chain contains one, the message is not retried: it goes to the dead-letter stream
 * ({@link MeshConstants#DLQ_STREAM}) after this one attempt and is then terminated. Any other exception is
 * treated as retriable: the message is negatively acknowledged with the route's backoff and tried again, up
 * to {@code maxDeliver} attempts.
 */
public class MeshPermanentException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSE_DEPTH = 64;

    /** A permanent failure described by {@code message}. */
    public MeshPermanentException(String message) {
        super(message);
    }

    /** A permanent failure described by {@code message}, caused by {@code cause}. */
    public MeshPermanentException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code error} or any exception in its cause chain is a {@link MeshPermanentException}. */
    public static boolean isPermanent(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (t instanceof MeshPermanentException) {
                return true;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return false;
    }
}
