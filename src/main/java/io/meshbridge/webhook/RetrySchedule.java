package io.meshbridge.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How long to wait before each retry of a webhook delivery: the n-th delay follows the n-th failed attempt, so a
 * schedule of n delays allows n + 1 attempts; after the last one a retryable failure is final (dead letter).
 * Written as a comma-separated list of positive durations with a unit, {@code ms}, {@code s}, {@code m} or
 * {@code h}: {@code "5s,30s,2m,10m,30m,1h"}.
 *
 * <p><b>The default</b>, {@link #DEFAULT}: {@value #DEFAULT_TEXT} — 10 retries, 11 attempts, 5 h 42 min 35 s
 * in all. It has the shape of the established webhook services: Svix (whose scheme Standard Webhooks
 * describes) retries after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, about 27.5 h in all; others (NMI,
 * Circle) likewise go from seconds to minutes to hourly attempts. Ours is shorter in total because it must fit
 * inside the stream's retention, not a database of its own:
 * <ul>
 *   <li>5 s and 30 s catch the common blips: a receiver restarting during a deploy, a load balancer's 502 while
 *   it drains, a lost connection;</li>
 *   <li>2, 10 and 30 minutes ride out a short outage without hammering a receiver that is struggling (a 429 or
 *   503 with {@code Retry-After} can ask for more);</li>
 *   <li>then hourly, five times, for a longer outage, instead of ever longer gaps: a receiver that comes back
 *   gets its events within the hour.</li>
 * </ul>
 * The total stays well under the default stream max age of 24 h: an event may wait in the backlog (a paused or
 * slow route) before its first attempt, and every retry must happen before the stream drops the event, so the
 * start refuses a schedule whose {@link #total()} exceeds the stream's max age ({@link #requireWithin}). An
 * endpoint down for longer than the schedule is better caught by the pause rule (no success for a configured
 * time) than by longer retries.
 *
 * @param delays the delays, in order, each positive; at least one
 */
public record RetrySchedule(List<Duration> delays) {

    /** The default schedule's text. */
    public static final String DEFAULT_TEXT = "5s,30s,2m,10m,30m,1h,1h,1h,1h,1h";
    /** The default schedule (see the class comment for why). */
    public static final RetrySchedule DEFAULT = parse(DEFAULT_TEXT);

    /** Checks and copies the delays. */
    public RetrySchedule {
        delays = List.copyOf(Objects.requireNonNull(delays, "retry delays"));
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one delay");
        }
        for (int i = 0; i < delays.size(); i++) {
            Duration d = delays.get(i);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("retry schedule element " + (i + 1) + " ('" + format(d)
                        + "') must be positive");
            }
        }
    }

    /**
     * Reads a schedule such as {@code "5s, 30s, 2m, 1h"}.
     *
     * @throws IllegalArgumentException naming the element (position and text) that is not a positive
     *                                  {@code <number><ms|s|m|h>}
     */
    public static RetrySchedule parse(String text) {
        Objects.requireNonNull(text, "retry schedule");
        if (text.isBlank()) {
            throw new IllegalArgumentException("a retry schedule needs at least one delay, such as " + DEFAULT_TEXT);
        }
        String[] parts = text.split(",", -1);
        List<Duration> out = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            out.add(element(parts[i].trim(), i + 1));
        }
        return new RetrySchedule(out);
    }

    /** The sum of the delays: how long after the first failure the last attempt starts. */
    public Duration total() {
        Duration sum = Duration.ZERO;
        for (Duration d : delays) {
            sum = sum.plus(d);
        }
        return sum;
    }

    /** Attempts in all: the first and one per delay. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /**
     * The delay after failed attempt {@code attempt} (1 is the first attempt), or {@code null} when that was
     * the last attempt the schedule allows.
     */
    public Duration delayAfter(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1, was " + attempt);
        }
        return attempt <= delays.size() ? delays.get(attempt - 1) : null;
    }

    /**
     * Refuses a schedule that does not fit in a stream's retention.
     *
     * @param maxAge the stream's max age; zero or negative means unlimited (no check)
     * @throws IllegalArgumentException saying both durations
     */
    public void requireWithin(Duration maxAge) {
        if (maxAge == null || maxAge.isZero() || maxAge.isNegative()) {
            return;
        }
        if (total().compareTo(maxAge) > 0) {
            throw new IllegalArgumentException("retry schedule " + this + " takes " + format(total())
                    + " in all, longer than the stream's max age of " + format(maxAge)
                    + ": events would be dropped before their last attempt");
        }
    }

    /** The schedule's text, as {@link #parse} reads it. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Duration d : delays) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(format(d));
        }
        return out.toString();
    }

    private static Duration element(String e, int position) {
        int digits = 0;
        while (digits < e.length() && Character.isDigit(e.charAt(digits))) {
            digits++;
        }
        String unit = e.substring(digits);
        if (digits == 0 || digits > 9 || !(unit.equals("ms") || unit.equals("s") || unit.equals("m")
                || unit.equals("h"))) {
            throw new IllegalArgumentException("retry schedule element " + position + " ('" + e + "') must be a"
                    + " whole number followed by ms, s, m or h, such as 30s");
        }
        long n = Long.parseLong(e.substring(0, digits));
        if (n == 0) {
            throw new IllegalArgumentException("retry schedule element " + position + " ('" + e
                    + "') must be positive");
        }
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** A duration in the largest unit that writes it exactly ({@code 90m}, {@code 1h}, {@code 1500ms}). */
    static String format(Duration d) {
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
