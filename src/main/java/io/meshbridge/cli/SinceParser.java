package io.meshbridge.cli;

import io.meshbridge.events.Timestamps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads the {@code --since} value: an RFC 3339 time ({@code 2026-11-29T10:00:00Z},
 * {@code 2026-11-29T11:00:00+01:00}) or a duration back from now made of whole numbers with a unit,
 * {@code s}, {@code m}, {@code h} or {@code d} ({@code 30s}, {@code 10m}, {@code 2h}, {@code 1d},
 * {@code 1h30m}).
 */
final class SinceParser {

    private static final Pattern DURATION = Pattern.compile("(?:\\d+[smhd])+");
    private static final Pattern PART = Pattern.compile("(\\d+)([smhd])");

    private SinceParser() {
    }

    /**
     * The instant {@code text} stands for, relative durations counted back from {@code clock}'s now.
     *
     * @throws IllegalArgumentException saying what is accepted
     */
    static Instant parse(String text, Clock clock) {
        String value = text == null ? "" : text.trim();
        if (DURATION.matcher(value).matches()) {
            return clock.instant().minus(duration(value));
        }
        if (value.length() > 10 && (value.charAt(10) == 'T' || value.charAt(10) == 't')) {
            try {
                return Timestamps.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("'" + value + "' is neither an RFC 3339 time"
                + " (2026-11-29T10:00:00Z) nor a duration such as 30s, 10m, 2h or 1d");
    }

    private static Duration duration(String value) {
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(value);
        try {
            while (m.find()) {
                long amount = Long.parseLong(m.group(1));
                Duration part = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
                total = total.plus(part);
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration '" + value + "' is too large", e);
        }
        return total;
    }

    /** Picocli converter: relative durations count back from the moment the option is read. */
    static final class Converter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return parse(value, Clock.systemUTC());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
