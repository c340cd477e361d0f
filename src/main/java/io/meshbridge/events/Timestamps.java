package io.meshbridge.events;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * RFC 3339 timestamps as the reference producers write them.
 *
 * <p>{@link #format(Instant)} writes Go's {@code time.RFC3339Nano} in UTC: nine fraction digits at most,
 * trailing zeros trimmed, no fraction on whole seconds, {@code Z}. {@link #parse(CharSequence)} reads any
 * RFC 3339 date-time: {@code Z} or a numeric offset {@code ±hh:mm} (up to {@code ±23:59}, as Go accepts),
 * 0 to 9 fraction digits. Stateless and thread-safe.
 */
public final class Timestamps {

    /** Go's zero time, which Go producers write for a timestamp that was never set. */
    public static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private static final long FIRST_SECOND = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    /**
     * The two most recently formatted seconds (a writer alternating between an old creation time and the
     * current time hits both); a racy but safe cache (each value is immutable).
     */
    private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, "");
    private static volatile SecondText otherSecond = new SecondText(Long.MIN_VALUE, "");

    private Timestamps() {
    }

    /**
     * Formats an instant as Go's RFC3339Nano in UTC.
     *
     * @throws IllegalArgumentException when the year is outside 0..9999, as Go refuses it too
     */
    public static String format(Instant instant) {
        requireFormattable(instant);
        long epochSecond = instant.getEpochSecond();
        SecondText second = lastSecond;
        if (second.epochSecond != epochSecond) {
            SecondText other = otherSecond;
            SecondText found = other.epochSecond == epochSecond ? other
                    : new SecondText(epochSecond, secondText(epochSecond));
            otherSecond = second;
            lastSecond = found;
            second = found;
        }
        int nanos = instant.getNano();
        if (nanos == 0) {
            return second.text + 'Z';
        }
        char[] out = new char[second.text.length() + 11];
        second.text.getChars(0, second.text.length(), out, 0);
        int pos = second.text.length();
        out[pos++] = '.';
        for (int i = 8; i >= 0; i--) {
            out[pos + i] = (char) ('0' + nanos % 10);
            nanos /= 10;
        }
        pos += 9;
        while (out[pos - 1] == '0') {
            pos--;
        }
        out[pos++] = 'Z';
        return new String(out, 0, pos);
    }

    /**
     * Checks, without formatting, that {@link #format(Instant)} can write {@code instant}.
     *
     * @throws IllegalArgumentException when the year is outside 0..9999
     */
    public static void requireFormattable(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        if (epochSecond < FIRST_SECOND || epochSecond > LAST_SECOND) {
            // checked before converting: the extreme instants have no LocalDateTime
            throw new IllegalArgumentException("timestamp " + instant + " has a year outside 0..9999");
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ss} of a UTC second. */
    private static String secondText(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(19);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2);
        return out.toString();
    }

    /** The text of the second last formatted: events emitted in a burst share it. Immutable. */
    private record SecondText(long epochSecond, String text) {
    }

    /**
     * Parses an RFC 3339 date-time ({@code 2026-11-29T10:45:28.1234+01:00}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Instant parse(CharSequence text) {
        Cursor c = new Cursor(Objects.requireNonNull(text, "timestamp text"));
        int year = c.digits(4);
        c.expect('-');
        int month = c.digits(2);
        c.inRange(month, 1, 12, "month");
        c.expect('-');
        int day = c.digits(2);
        c.inRange(day, 1, lengthOfMonth(year, month), "day");
        c.expectOneOf('T', 't');
        int hour = c.digits(2);
        c.inRange(hour, 0, 23, "hour");
        c.expect(':');
        int minute = c.digits(2);
        c.inRange(minute, 0, 59, "minute");
        c.expect(':');
        int second = c.digits(2);
        c.inRange(second, 0, 59, "second");
        int nanos = 0;
        if (c.peek() == '.') {
            c.pos++;
            int digits = 0;
            while (c.isDigit()) {
                if (digits == 9) {
                    throw c.fail("more than 9 fraction digits");
                }
                nanos = nanos * 10 + (text.charAt(c.pos++) - '0');
                digits++;
            }
            if (digits == 0) {
                throw c.fail("a fraction needs at least one digit");
            }
            for (int i = digits; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offsetSeconds = parseOffset(c);
        if (c.pos != text.length()) {
            throw c.fail("unexpected text after the time zone");
        }
        // The offset is applied by hand: ZoneOffset stops at 18 hours, RFC 3339 and Go go up to 23:59.
        long local = epochDay(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
        return Instant.ofEpochSecond(local - offsetSeconds, nanos);
    }

    /**
     * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (year 0 to 9999), by arithmetic: every
     * consumed event's timestamp is parsed, and {@code LocalDateTime}'s checks and objects cost more than the
     * rest of the parse (the parse above has checked each field).
     */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year; // the year counted from March, so a leap day ends it
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }

    private static int lengthOfMonth(int year, int month) {
        if (month == 2) {
            return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    private static int parseOffset(Cursor c) {
        char z = c.peek();
        if (z == 'Z' || z == 'z') {
            c.pos++;
            return 0;
        }
        if (z != '+' && z != '-') {
            throw c.fail("expected 'Z' or a numeric offset");
        }
        c.pos++;
        int hours = c.digits(2);
        c.expect(':');
        int minutes = c.digits(2);
        if (hours > 23 || minutes > 59) {
            throw c.fail("offset out of range");
        }
        int seconds = hours * 3600 + minutes * 60;
        return z == '-' ? -seconds : seconds;
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    private static final class Cursor {
        private final CharSequence text;
        private int pos;

        Cursor(CharSequence text) {
            this.text = text;
        }

        char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        boolean isDigit() {
            char ch = peek();
            return ch >= '0' && ch <= '9';
        }

        int digits(int count) {
            int value = 0;
            for (int i = 0; i < count; i++) {
                if (!isDigit()) {
                    throw fail("expected a digit");
                }
                value = value * 10 + (text.charAt(pos++) - '0');
            }
            return value;
        }

        void expect(char ch) {
            if (peek() != ch) {
                throw fail("expected '" + ch + "'");
            }
            pos++;
        }

        void inRange(int value, int min, int max, String field) {
            if (value < min || value > max) {
                pos -= 2;
                throw fail(field + " out of range");
            }
        }

        void expectOneOf(char a, char b) {
            char ch = peek();
            if (ch != a && ch != b) {
                throw fail("expected '" + a + "'");
            }
            pos++;
        }

        IllegalArgumentException fail(String what) {
            return new IllegalArgumentException(
                    "invalid RFC 3339 timestamp '" + text + "': " + what + " at position " + pos);
        }
    }
}
