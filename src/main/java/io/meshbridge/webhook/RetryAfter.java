package io.meshbridge.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} response header (RFC 9110, section 10.2.3): either delay-seconds (ASCII digits) or
 * an HTTP-date in any of the three forms a recipient must accept (section 5.6.7): IMF-fixdate
 * ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the obsolete RFC 850 form ({@code Sunday, 06-Nov-94 08:49:37 GMT},
 * a two-digit year more than 50 years ahead meaning the previous century) and asctime
 * ({@code Sun Nov  6 08:49:37 1994}).
 *
 * <p>The answer is a delay from a given {@code now}, capped at a given maximum; anything else (absent, empty,
 * negative, a fraction, a date that is not after {@code now}, any other text) is empty, and the caller keeps its
 * own schedule. Stateless and thread-safe.
 */
public final class RetryAfter {

    /** The header's name. */
    public static final String HEADER = "Retry-After";

    // The weekday is checked to be a day's name, not against the date: a sender's wrong weekday (or the
    // two-digit year's century) must not make a usable date unreadable.
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("dd MMM uuuu HH:mm:ss 'GMT'", Locale.US)
                    .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter RFC_850 =
            DateTimeFormatter.ofPattern("dd-MMM-uu HH:mm:ss 'GMT'", Locale.US)
                    .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss uuuu", Locale.US)
                    .withResolverStyle(ResolverStyle.STRICT);
    private static final List<String> DAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final List<String> LONG_DAYS =
            List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");

    private RetryAfter() {
    }

    /**
     * The delay a {@code Retry-After} value asks for.
     *
     * @param value the header's value, or {@code null} when absent
     * @param now   the time the response arrived
     * @param max   the longest delay to return (a longer one is cut to it), not negative
     * @return the delay, at most {@code max}; empty when the value says nothing usable
     */
    public static Optional<Duration> parse(String value, Instant now, Duration max) {
        Objects.requireNonNull(now, "now");
        if (Objects.requireNonNull(max, "max").isNegative()) {
            throw new IllegalArgumentException("max must not be negative, was " + max);
        }
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Duration delay = Character.isDigit(v.charAt(0)) ? seconds(v) : untilDate(v, now);
        if (delay == null) {
            return Optional.empty();
        }
        return Optional.of(delay.compareTo(max) > 0 ? max : delay);
    }

    /** delay-seconds; {@code null} when not all digits. Very long numbers saturate. */
    private static Duration seconds(String v) {
        long s = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            s = s > Long.MAX_VALUE / 100 ? Long.MAX_VALUE / 100 : s * 10 + (c - '0');
        }
        return Duration.ofSeconds(s);
    }

    /** The time from {@code now} to an HTTP-date; {@code null} when not a date or not after now. */
    private static Duration untilDate(String v, Instant now) {
        Instant at = httpDate(v, now);
        if (at == null || !at.isAfter(now)) {
            return null;
        }
        // whole seconds, as the header's resolution is one second
        return Duration.ofSeconds(now.until(at, ChronoUnit.SECONDS));
    }

    private static Instant httpDate(String v, Instant now) {
        int comma = v.indexOf(", ");
        if (comma > 0) {
            String day = v.substring(0, comma);
            String rest = v.substring(comma + 2);
            if (DAYS.contains(day)) {
                return parse(rest, IMF_FIXDATE, now, false);
            }
            return LONG_DAYS.contains(day) ? parse(rest, RFC_850, now, true) : null;
        }
        int space = v.indexOf(' ');
        return space > 0 && DAYS.contains(v.substring(0, space)) ? parse(v.substring(space + 1), ASCTIME, now, false)
                : null;
    }

    private static Instant parse(String text, DateTimeFormatter format, Instant now, boolean twoDigitYear) {
        try {
            LocalDateTime t = LocalDateTime.parse(text, format);
            // the pattern reads uu as 20uu; RFC 9110: more than 50 years ahead is the previous century
            if (twoDigitYear && t.isAfter(LocalDateTime.ofInstant(now, ZoneOffset.UTC).plusYears(50))) {
                t = t.minusYears(100);
            }
            return t.toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
