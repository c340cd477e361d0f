package io.meshbridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    /** Sun, 06 Nov 1994 08:49:07 GMT: 30 s before RFC 9110's example date. */
    private static final Instant NOW = Instant.parse("1994-11-06T08:49:07Z");
    private static final Duration MAX = Duration.ofHours(1);

    @Test
    void readsDelaySeconds() {
        assertThat(parse("120")).contains(Duration.ofSeconds(120));
        assertThat(parse(" 2 ")).contains(Duration.ofSeconds(2));
        assertThat(parse("0")).contains(Duration.ZERO);
    }

    @Test
    void capsAtTheMaximum() {
        assertThat(parse("3601")).contains(MAX);
        assertThat(parse("99999999999999999999999999")).contains(MAX);
        assertThat(RetryAfter.parse("5", NOW, Duration.ZERO)).contains(Duration.ZERO);
    }

    @Test
    void readsTheThreeHttpDateForms() {
        Duration thirty = Duration.ofSeconds(30);
        assertThat(parse("Sun, 06 Nov 1994 08:49:37 GMT")).contains(thirty);
        assertThat(parse("Sunday, 06-Nov-94 08:49:37 GMT")).contains(thirty);
        assertThat(parse("Sun Nov  6 08:49:37 1994")).contains(thirty);
        assertThat(parse("Mon, 07 Nov 1994 08:49:07 GMT")).contains(MAX);
    }

    @Test
    void aTwoDigitYearMoreThanFiftyYearsAheadIsThePreviousCentury() {
        Instant now2026 = Instant.parse("2026-03-01T00:00:00Z");
        assertThat(RetryAfter.parse("Sunday, 01-Mar-26 00:00:10 GMT", now2026, MAX)).contains(Duration.ofSeconds(10));
        // 2077 would be more than 50 years ahead: 1977, long past
        assertThat(RetryAfter.parse("Monday, 01-Mar-77 00:00:10 GMT", now2026, MAX)).isEmpty();
    }

    @Test
    void aWrongWeekdayDoesNotSpoilTheDate() {
        assertThat(parse("Fri, 06 Nov 1994 08:49:37 GMT")).contains(Duration.ofSeconds(30));
    }

    @Test
    void aDateNotAfterNowSaysNothing() {
        assertThat(parse("Sun, 06 Nov 1994 08:49:07 GMT")).isEmpty();
        assertThat(parse("Sun, 06 Nov 1994 08:00:00 GMT")).isEmpty();
    }

    @Test
    void garbageSaysNothing() {
        assertThat(parse(null)).isEmpty();
        assertThat(parse("")).isEmpty();
        assertThat(parse("  ")).isEmpty();
        assertThat(parse("-5")).isEmpty();
        assertThat(parse("1.5")).isEmpty();
        assertThat(parse("5s")).isEmpty();
        assertThat(parse("soon")).isEmpty();
        assertThat(parse("Xyz, 06 Nov 1994 08:49:37 GMT")).isEmpty();
        assertThat(parse("Sun, 06 Nov 1994 08:49:37 UTC")).isEmpty();
        assertThat(parse("Sun, 31 Feb 1995 08:49:37 GMT")).isEmpty();
        assertThat(parse("Sun, 06 Nov 1994 24:00:00 GMT")).isEmpty();
        assertThat(parse("1994-11-06T08:49:37Z")).isEmpty();
    }

    @Test
    void refusesANegativeMaximum() {
        assertThatThrownBy(() -> RetryAfter.parse("1", NOW, Duration.ofSeconds(-1))).hasMessageContaining("max");
    }

    private static Optional<Duration> parse(String value) {
        return RetryAfter.parse(value, NOW, MAX);
    }
}
