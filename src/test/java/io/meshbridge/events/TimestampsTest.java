package io.meshbridge.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    // --- format: Go's time.RFC3339Nano in UTC ---

    @ParameterizedTest
    @CsvSource({
        "2026-11-29T10:45:28.5Z, 2026-11-29T10:45:28.500Z",
        "2026-11-29T10:45:32.25Z, 2026-11-29T10:45:32.250Z",
        "2026-11-29T10:45:28.123456789Z, 2026-11-29T10:45:28.123456789Z",
        "2026-11-29T10:45:31.000000001Z, 2026-11-29T10:45:31.000000001Z",
        "2026-11-29T10:45:31.00000001Z, 2026-11-29T10:45:31.000000010Z",
        "2026-11-29T10:45:31.000001Z, 2026-11-29T10:45:31.000001Z",
        "2026-11-29T10:45:31.1Z, 2026-11-29T10:45:31.100000000Z",
        "2026-11-29T10:45:31.12Z, 2026-11-29T10:45:31.120Z",
        "2026-11-29T10:45:29Z, 2026-11-29T10:45:29Z",
        "2026-11-29T10:45:29Z, 2026-11-29T10:45:29.000000000Z",
        "1970-01-01T00:00:00Z, 1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999999999Z, 1969-12-31T23:59:59.999999999Z",
        "0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z",
        "0042-03-04T05:06:07.08Z, 0042-03-04T05:06:07.080Z",
        "0000-01-01T00:00:00Z, 0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z, 9999-12-31T23:59:59.999999999Z",
        "2024-02-29T00:00:00Z, 2024-02-29T00:00:00Z",
    })
    void formatWritesGoRfc3339NanoInUtc(String expected, String instant) {
        assertThat(Timestamps.format(Instant.parse(instant))).isEqualTo(expected);
    }

    @Test
    void goZeroTimeFormatsAsGoWritesIt() {
        assertThat(Timestamps.format(Timestamps.GO_ZERO_TIME)).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(Timestamps.GO_ZERO_TIME).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z", "-1000000000-01-01T00:00:00Z",
        "+1000000000-12-31T23:59:59.999999999Z"})
    void formatAndRequireFormattableRefuseYearsGoCannotWrite(String instant) {
        assertThatThrownBy(() -> Timestamps.format(Instant.parse(instant)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 0..9999");
        assertThatThrownBy(() -> Timestamps.requireFormattable(Instant.parse(instant)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 0..9999");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-12-02T08:30:00.5Z"})
    void requireFormattableAcceptsWhatFormatWrites(String instant) {
        Timestamps.requireFormattable(Instant.parse(instant));
        assertThat(Timestamps.format(Instant.parse(instant))).isEqualTo(instant);
    }

    @Test
    void formatRefusesTheExtremeInstants() {
        assertThatThrownBy(() -> Timestamps.format(Instant.MAX)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Timestamps.format(Instant.MIN)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- parse ---

    @ParameterizedTest
    @CsvSource({
        "2026-11-29T10:45:28.123456789Z, 2026-11-29T10:45:28.123456789Z",
        "2026-11-29T11:45:28.1234+01:00, 2026-11-29T10:45:28.1234Z",
        "2026-11-29T10:45:29Z, 2026-11-29T10:45:29Z",
        "2026-11-29T05:45:30.5-05:00, 2026-11-29T10:45:30.5Z",
        "2026-11-29T10:45:31.000000001Z, 2026-11-29T10:45:31.000000001Z",
        "2026-11-29T10:45:32.25Z, 2026-11-29T10:45:32.25Z",
        "2026-11-29T10:45:33Z, 2026-11-29T10:45:33Z",
        "2026-11-29T10:45:34.7Z, 2026-11-29T10:45:34.7Z",
        "2026-11-29T10:45:35Z, 2026-11-29T10:45:35Z",
        "2026-11-29T10:45:36Z, 2026-11-29T10:45:36Z",
        "2026-11-29T16:15:36+05:30, 2026-11-29T10:45:36Z",
        "2026-11-29T00:30:00-23:59, 2026-11-30T00:29:00Z",
        "2026-11-29T10:45:36+00:00, 2026-11-29T10:45:36Z",
        "2026-11-29T10:45:36-00:00, 2026-11-29T10:45:36Z",
        "2026-11-29t10:45:36z, 2026-11-29T10:45:36Z",
        "0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z",
        "2024-02-29T23:59:59.999999999Z, 2024-02-29T23:59:59.999999999Z",
    })
    void parseGivesTheInstant(String text, String expected) {
        assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(expected));
    }

    /** Every timestamp of the reference samples, with the instant it stands for. */
    private static final java.util.Map<String, Instant> SAMPLE_TIMESTAMPS = java.util.Map.of(
            "2026-11-29T10:45:28.123456789Z", Instant.parse("2026-11-29T10:45:28.123456789Z"),
            "2026-11-29T11:45:28.1234+01:00", Instant.parse("2026-11-29T10:45:28.1234Z"),
            "2026-11-29T10:45:29Z", Instant.parse("2026-11-29T10:45:29Z"),
            "2026-11-29T05:45:30.5-05:00", Instant.parse("2026-11-29T10:45:30.5Z"),
            "2026-11-29T10:45:31.000000001Z", Instant.parse("2026-11-29T10:45:31.000000001Z"),
            "2026-11-29T10:45:32.25Z", Instant.parse("2026-11-29T10:45:32.25Z"),
            "2026-11-29T10:45:33Z", Instant.parse("2026-11-29T10:45:33Z"),
            "2026-11-29T10:45:34.7Z", Instant.parse("2026-11-29T10:45:34.7Z"),
            "2026-11-29T10:45:35Z", Instant.parse("2026-11-29T10:45:35Z"),
            "2026-11-29T10:45:36Z", Instant.parse("2026-11-29T10:45:36Z"));

    @Test
    void parseAcceptsEveryTimestampOfTheReferenceSamples() {
        Pattern timestamp = Pattern.compile("\"timestamp\": ?\"([^\"]*)\"");
        Set<String> found = new TreeSet<>();
        for (Samples.Sample sample : Samples.all()) {
            Matcher m = timestamp.matcher(sample.text());
            while (m.find()) {
                found.add(m.group(1));
            }
        }

        assertThat(found).containsExactlyInAnyOrderElementsOf(SAMPLE_TIMESTAMPS.keySet());
        for (String text : found) {
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(SAMPLE_TIMESTAMPS.get(text));
        }
    }

    @Test
    void parseAcceptsZeroToNineFractionDigits() {
        String digits = "123456789";
        for (int n = 0; n <= 9; n++) {
            String text = "2026-11-29T10:45:28" + (n == 0 ? "" : "." + digits.substring(0, n)) + "Z";
            int nanos = n == 0 ? 0 : Integer.parseInt(digits.substring(0, n) + "0".repeat(9 - n));

            assertThat(Timestamps.parse(text)).as(text)
                    .isEqualTo(Instant.parse("2026-11-29T10:45:28Z").plusNanos(nanos));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-11-29T10:45Z                  | expected ':'",
        "2026-11-29T10:45:28.1234567890Z    | more than 9 fraction digits",
        "2026-11-29T10:45:28.Z              | a fraction needs at least one digit",
        "2026-11-29T10:45:28.               | a fraction needs at least one digit",
        "2026-13-29T10:45:28Z               | month out of range",
        "2026-00-29T10:45:28Z               | month out of range",
        "2026-02-30T10:45:28Z               | day out of range",
        "2025-02-29T10:45:28Z               | day out of range",
        "2026-04-31T10:45:28Z               | day out of range",
        "2026-11-00T10:45:28Z               | day out of range",
        "2026-11-29T24:00:00Z               | hour out of range",
        "2026-11-29T10:60:00Z               | minute out of range",
        "2026-11-29T10:45:60Z               | second out of range",
        "garbage                            | expected a digit",
        "2026-11-29T10:45:28                | expected 'Z' or a numeric offset",
        "2026-11-29T10:45:28+0100           | expected ':'",
        "2026-11-29T10:45:28+01             | expected ':'",
        "2026-11-29T10:45:28+01:0           | expected a digit",
        "2026-11-29T10:45:28+24:00          | offset out of range",
        "2026-11-29T10:45:28+01:60          | offset out of range",
        "2026-11-29T10:45:28Zjunk           | unexpected text after the time zone",
        "2026-11-29 10:45:28Z               | expected 'T'",
        "2026-11-29X10:45:28Z               | expected 'T'",
        "26-11-29T10:45:28Z                 | expected a digit at position 2",
        "+2026-11-29T10:45:28Z              | expected a digit",
        "2026-1-29T10:45:28Z                | expected a digit",
        "2026/11/29T10:45:28Z               | expected '-'",
        "2026-11-29T1:45:28Z                | expected a digit",
        "2026-11-29T10:45:28,5Z             | expected 'Z' or a numeric offset",
        "２026-11-29T10:45:28Z               | expected a digit",
    })
    void parseRefusesWhatIsNotRfc3339(String text, String problem) {
        assertThatThrownBy(() -> Timestamps.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid RFC 3339 timestamp '" + text + "'")
                .hasMessageContaining(problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {" 2026-11-29T10:45:28Z", "2026-11-29T10:45:28Z ", "2026-11-29T10:45:28Z\n",
        "\"2026-11-29T10:45:28Z\""})
    void parseRefusesSurroundingCharacters(String text) {
        assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseRefusesTheEmptyString() {
        assertThatThrownBy(() -> Timestamps.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a digit at position 0");
    }

    @Test
    void parseRefusesNull() {
        assertThatThrownBy(() -> Timestamps.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 99, 100, 399, 400, 1582, 1899, 1900, 1969, 1970, 2000, 2024, 2026, 2100, 9999})
    void parseGivesTheCalendarsDayAndRefusesTheDaysItLacks(int year) {
        for (int month = 1; month <= 12; month++) {
            for (int day = 1; day <= 31; day++) {
                String text = "%04d-%02d-%02dT23:59:59Z".formatted(year, month, day);
                if (day <= LocalDate.of(year, month, 1).lengthOfMonth()) {
                    assertThat(Timestamps.parse(text)).as(text).isEqualTo(
                            LocalDate.of(year, month, day).atTime(23, 59, 59).toInstant(ZoneOffset.UTC));
                } else {
                    assertThatThrownBy(() -> Timestamps.parse(text)).as(text)
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("day out of range");
                }
            }
        }
    }

    // --- round trip ---

    @Test
    void parseOfFormatGivesTheSameInstant() {
        Random random = new Random(20261129L);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        Pattern goForm = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{0,8}[1-9])?Z");
        for (int i = 0; i < 20_000; i++) {
            long seconds = min + (long) (random.nextDouble() * (max - min));
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);

            String text = Timestamps.format(instant);

            assertThat(text).as("%s", instant).matches(goForm);
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(instant);
        }
    }
}
