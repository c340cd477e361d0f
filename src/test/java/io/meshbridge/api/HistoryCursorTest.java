package io.meshbridge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistoryCursorTest {

    private static final Instant CREATED = Instant.parse("2026-11-01T00:00:00.123456789Z");
    private static final Instant TIME = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aCursorComesBackAsItWentOutURLSafe() {
        HistoryCursor cursor = new HistoryCursor(CREATED, 123_456_789_012L, TIME);

        String text = cursor.encode();

        assertThat(text).matches("[A-Za-z0-9_-]+");
        assertThat(HistoryCursor.decode(text)).isEqualTo(cursor);
        assertThat(cursor.mark().created()).isEqualTo(CREATED);
        assertThat(cursor.mark().sequence()).isEqualTo(123_456_789_012L);
        assertThat(HistoryCursor.of(cursor.mark())).isEqualTo(cursor);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h1 2026-11-01T00:00:00Z 5", "h1 2026-11-01T00:00:00Z 5 2026-12-01T10:00:00Z x",
        "h2 2026-11-01T00:00:00Z 5 2026-12-01T10:00:00Z", "h1 yesterday 5 2026-12-01T10:00:00Z",
        "h1 2026-11-01T00:00:00Z 0 2026-12-01T10:00:00Z", "h1 2026-11-01T00:00:00Z -3 2026-12-01T10:00:00Z",
        "h1 2026-11-01T00:00:00Z 99999999999999999999 2026-12-01T10:00:00Z", ""})
    void anythingElseIsRefusedNamingTheParameter(String plain) {
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        assertRefused(text);
    }

    @Test
    void notBase64OrTooLongIsRefused() {
        assertRefused("not+base64/at all");
        assertRefused("%%%");
        assertRefused("A".repeat(201));
        assertRefused(new HistoryCursor(CREATED, 5, TIME).encode() + "==x");
    }

    private static void assertRefused(String text) {
        assertThatThrownBy(() -> HistoryCursor.decode(text)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).startsWith("cursor is not one of this API's");
        });
    }

    @Test
    void theMembersAreValidated() {
        assertThatThrownBy(() -> new HistoryCursor(CREATED, 0, TIME)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HistoryCursor(null, 1, TIME)).isInstanceOf(NullPointerException.class);
    }
}
