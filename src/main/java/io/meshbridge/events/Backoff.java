package io.meshbridge.events;

import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * An exponential backoff with jitter: the pause after the {@code n}-th consecutive failure is
 * {@code first × 2^(n-1)}, at most {@code max}, shortened by a random part of up to {@code jitter} of it, so
 * that many clients failing together (a server restart) do not retry in step.
 *
 * <p>A value type, thread-safe. The counting of consecutive failures is a {@link Attempts}, one per retry
 * loop, confined to the thread of that loop.
 *
 * @param first  the first pause, more than zero
 * @param max    the longest pause, at least {@code first}
 * @param jitter the fraction of a pause that may be taken off at random, from 0 (none) to below 1
 */
public record Backoff(Duration first, Duration max, double jitter) {

    /** The jitter of {@link #of}: up to a fifth of each pause. */
    public static final double DEFAULT_JITTER = 0.2;

    public Backoff {
        if (first == null || first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("first pause must be more than zero, was " + first);
        }
        if (max == null || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("max pause must be at least the first (" + first + "), was " + max);
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be from 0 to below 1, was " + jitter);
        }
    }

    /** A backoff from {@code first} to {@code max} with the default jitter. */
    public static Backoff of(Duration first, Duration max) {
        return new Backoff(first, max, DEFAULT_JITTER);
    }

    /** The pause after the {@code attempt}-th consecutive failure (1 for the first), before jitter. */
    public Duration ceiling(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more, was " + attempt);
        }
        int doublings = Math.min(attempt - 1, 62);
        long firstNanos = first.toNanos();
        long maxNanos = max.toNanos();
        long nanos = firstNanos > (maxNanos >> doublings) ? maxNanos : firstNanos << doublings;
        return Duration.ofNanos(Math.min(nanos, maxNanos));
    }

    /** The pause after the {@code attempt}-th consecutive failure, with jitter. */
    public Duration delay(int attempt) {
        long nanos = ceiling(attempt).toNanos();
        long off = jitter == 0 ? 0 : (long) (nanos * jitter * ThreadLocalRandom.current().nextDouble());
        return Duration.ofNanos(nanos - off);
    }

    /** A counter of consecutive failures for one retry loop. */
    public Attempts attempts() {
        return new Attempts(this);
    }

    /**
     * Whether a failure may go away by itself, so that doing the same again later can succeed: I/O errors and
     * time-outs (a connection lost or not yet back), a connection that is closed or reconnecting
     * ({@link IllegalStateException} from jnats), and JetStream answers that mean "not now" (no responders,
     * no stream leader yet, a cluster that is not ready). Anything else (a refused request, a programming
     * error) is permanent. Looks through the cause chain.
     */
    public static boolean isRetryable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JetStreamApiException api) {
                return isTransient(api);
            }
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException
                    || t instanceof IllegalStateException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransient(JetStreamApiException api) {
        int status = api.getErrorCode();
        int code = api.getApiErrorCode();
        return status == 503 || status == 408
                || code == 10008 // JetStream not in clustered mode yet / temporarily unavailable
                || code == 10023; // insufficient resources: may clear when space is freed
    }

    /**
     * Consecutive failures of one retry loop: {@link #next()} after each failure gives the pause to wait,
     * {@link #reset()} after a success starts again from the first pause. Not thread-safe.
     */
    public static final class Attempts {
        private final Backoff backoff;
        private int failures;

        private Attempts(Backoff backoff) {
            this.backoff = backoff;
        }

        /** Counts one more failure and returns the pause to wait before the next try. */
        public Duration next() {
            if (failures < Integer.MAX_VALUE) {
                failures++;
            }
            return backoff.delay(failures);
        }

        /** Consecutive failures counted since the last {@link #reset()}. */
        public int failures() {
            return failures;
        }

        /** Whether the last pause given was the longest one. */
        public boolean atMax() {
            return failures > 0 && backoff.ceiling(failures).equals(backoff.max());
        }

        /** Starts again from the first pause. */
        public void reset() {
            failures = 0;
        }
    }
}
