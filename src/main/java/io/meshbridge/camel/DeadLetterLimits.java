package io.meshbridge.camel;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how much the dead-letter stream {@value MeshConstants#DLQ_STREAM} keeps: the server drops dead
 * letters older than {@code maxAge}, and the oldest once the stream holds more than {@code maxBytes}. Limits,
 * not a queue policy: dead letters wait for an operator, so they are generous.
 *
 * @param maxAge   at least one hour
 * @param maxBytes at least 1 MiB
 */
public record DeadLetterLimits(Duration maxAge, long maxBytes) {

    /** The defaults: 30 days, 1 GiB. */
    public static final DeadLetterLimits DEFAULTS = new DeadLetterLimits(Duration.ofDays(30), 1L << 30);

    /** Validates both. */
    public DeadLetterLimits {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("maxAge must be at least 1h, was " + maxAge);
        }
        if (maxBytes < (1L << 20)) {
            throw new IllegalArgumentException("maxBytes must be at least 1MiB, was " + maxBytes);
        }
    }
}
