package io.meshbridge.camel;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A retriable failure that names when to try again, such as an HTTP peer answering {@code 429} or {@code 503}
 * with {@code Retry-After}.
 *
 * <p>When an exchange started by a {@code mesh:} consumer fails with this exception (or one whose cause chain
 * holds one) and the attempt is not its last, the message is negatively acknowledged with {@link #delay()}
 * when that is longer than the route's {@code backoff} delay for the attempt, bounded by the longest delay of
 * the {@code backoff} list: a peer can slow the retries down but not speed them up, nor push one past what the
 * start checked against the stream's retention (every retry at the longest delay). The attempt still counts
 * towards {@code maxDeliver}. Immutable.
 */
public class MeshRetryException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSE_DEPTH = 64;

    /** The delay asked for; never negative. */
    private final Duration delay;

    /** A retriable failure described by {@code message}, to be tried again after {@code delay}. */
    public MeshRetryException(String message, Duration delay) {
        super(message);
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        this.delay = delay;
    }

    /** When to try again, as asked. */
    public Duration delay() {
        return delay;
    }

    /** The delay of the first {@link MeshRetryException} in {@code error}'s cause chain, if any. */
    public static Optional<Duration> delayOf(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (t instanceof MeshRetryException r) {
                return Optional.of(r.delay);
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return Optional.empty();
    }
}
