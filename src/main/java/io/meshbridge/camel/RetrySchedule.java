package io.meshbridge.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.util.TimeUtils;

/**
 * A {@code mesh:} route's retry schedule: the delays of its {@code backoff} option and its {@code maxDeliver}.
 * Attempt {@code n} that failed is retried after delay {@code min(n - 1, last)}; a step's
 * {@link MeshRetryException} can lengthen a delay up to the {@link #longest()} one, never beyond.
 *
 * <p>Immutable and thread-safe.
 *
 * @param delays     the delays, in order; never empty, none negative
 * @param maxDeliver how many attempts a message gets, at least 1
 */
public record RetrySchedule(List<Duration> delays, int maxDeliver) {

    /** Validates and copies. */
    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("backoff must list at least one delay, e.g. 1s,5s,30s");
        }
        for (Duration d : delays) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("backoff delay " + d + " is negative");
            }
        }
        if (maxDeliver < 1) {
            throw new IllegalArgumentException("maxDeliver must be at least 1, was " + maxDeliver);
        }
    }

    /**
     * Parses a {@code backoff} option: comma-separated durations ({@code 500ms}, {@code 1s}, {@code 2m},
     * {@code 1h} or ISO-8601 such as {@code PT1S}).
     *
     * @throws IllegalArgumentException naming the element that is not a non-negative duration
     */
    public static RetrySchedule parse(String backoff, int maxDeliver) {
        if (backoff == null || backoff.isBlank()) {
            throw new IllegalArgumentException("backoff must list at least one delay, e.g. 1s,5s,30s");
        }
        List<Duration> out = new ArrayList<>();
        for (String part : backoff.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("backoff '" + backoff + "' has an empty element");
            }
            Duration d;
            try {
                d = p.startsWith("P") || p.startsWith("p") ? Duration.parse(p) : TimeUtils.toDuration(p);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("backoff element '" + p + "' is not a duration (use 500ms,"
                        + " 1s, 2m, 1h or ISO-8601 such as PT1S)", e);
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException("backoff element '" + p + "' is negative");
            }
            out.add(d);
        }
        return new RetrySchedule(out, maxDeliver);
    }

    /** The delay after failed attempt {@code attempt} (1-based): element min(attempt - 1, last). */
    public Duration delayAfter(long attempt) {
        int index = (int) Math.min(Math.max(attempt - 1, 0), delays.size() - 1);
        return delays.get(index);
    }

    /** The longest delay. */
    public Duration longest() {
        return delays.stream().max(Duration::compareTo).orElseThrow();
    }

    /** The last delay (the one every attempt after the list's length waits). */
    public Duration last() {
        return delays.get(delays.size() - 1);
    }

    /**
     * The longest time from a failing message's first attempt to its last: every retry after the longest delay
     * (as a {@link MeshRetryException} can ask), that is the longest delay times {@code maxDeliver - 1}.
     */
    public Duration span() {
        return longest().multipliedBy(maxDeliver - 1L);
    }

    /**
     * Refuses a schedule that can outlast a stream's max age (zero or null: unlimited), which would drop a
     * failing event before its last attempt.
     *
     * @throws IllegalArgumentException naming {@code backoff} and {@code maxDeliver}
     */
    public void requireWithin(Duration maxAge, String stream) {
        Duration span = span();
        if (maxAge != null && !maxAge.isZero() && span.compareTo(maxAge) >= 0) {
            throw new IllegalArgumentException("backoff=" + describe() + " with maxDeliver=" + maxDeliver
                    + " can retry a failing event for " + span + " (every retry at the longest delay), not less than"
                    + " the max age " + maxAge + " of stream " + stream + ": the stream would drop it before its last"
                    + " attempt; shorten backoff or lower maxDeliver");
        }
    }

    /** The delays as the {@code backoff} option writes them, e.g. {@code 5s,30s,2m}. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (Duration d : delays) {
            out.append(out.isEmpty() ? "" : ",").append(text(d));
        }
        return out.toString();
    }

    private static String text(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1_000 == 0 ? ms / 1_000 + "s" : ms + "ms";
    }
}
