package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class SinceParserTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void relativeDurationsCountBackFromNow() {
        assertThat(SinceParser.parse("30s", CLOCK)).isEqualTo(NOW.minusSeconds(30));
        assertThat(SinceParser.parse("10m", CLOCK)).isEqualTo(NOW.minus(Duration.ofMinutes(10)));
        assertThat(SinceParser.parse("2h", CLOCK)).isEqualTo(NOW.minus(Duration.ofHours(2)));
        assertThat(SinceParser.parse("1d", CLOCK)).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(SinceParser.parse("1h30m", CLOCK)).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
        assertThat(SinceParser.parse("0s", CLOCK)).isEqualTo(NOW);
    }

    @Test
    void rfc3339TimesAreAbsolute() {
        assertThat(SinceParser.parse("2026-11-29T10:00:00Z", CLOCK)).isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(SinceParser.parse("2026-11-29T11:00:00+01:00", CLOCK))
                .isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(SinceParser.parse("2026-11-29T10:00:00.5Z", CLOCK))
                .isEqualTo(Instant.parse("2026-11-29T10:00:00.500Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "10x", "m", "-5m", "yesterday", "2026-11-29", "2026-11-29T10:00:00",
        "2026-11-29T25:00:00Z", "1.5h"})
    void anythingElseIsRefused(String text) {
        assertThatThrownBy(() -> SinceParser.parse(text, CLOCK)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theConverterReportsAUsageError() {
        assertThatThrownBy(() -> new SinceParser.Converter().convert("soon"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'soon' is neither an RFC 3339 time");
    }
}
