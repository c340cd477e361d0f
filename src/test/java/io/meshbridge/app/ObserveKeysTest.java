package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The keys {@code mesh.health.*}, {@code mesh.observe.*} and {@code mesh.log.*}: parsed, checked, the token unprinted. */
class ObserveKeysTest {

    private static final String TOKEN = "0123456789abcdef-observe";

    @TempDir
    Path dir;

    @Test
    void defaults() {
        assertThat(ConfigParser.parse(Map.of()).observe()).isEqualTo(ObserveConfig.DEFAULTS);
    }

    @Test
    void valuesAreParsedAndTheTokenNeverPrints() {
        ObserveConfig c = ConfigParser.parse(Map.of("mesh.health.stall-after", "30s",
                "mesh.health.poll-interval", "500ms", "mesh.observe.token", TOKEN, "mesh.log.level", "debug",
                "mesh.log.format", "JSON")).observe();
        assertThat(c.stallAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.token().value()).isEqualTo(TOKEN);
        assertThat(c.logLevel()).isEqualTo("DEBUG");
        assertThat(c.jsonLogs()).isTrue();
        assertThat(c.toString()).doesNotContain(TOKEN);
        assertThat(ConfigKeys.SECRETS).contains("mesh.observe.token");
    }

    @Test
    void theTokenIsReadFromItsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        ObserveConfig c = ConfigParser.parse(Map.of("mesh.observe.token-file", file.toString())).observe();
        assertThat(c.token().value()).isEqualTo(TOKEN);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mesh.health.stall-after   | 500ms | invalid configuration: mesh.health.stall-after: must be at least 1s, was 500ms",
        "mesh.health.stall-after   | soon  | invalid configuration: mesh.health.stall-after: ",
        "mesh.health.poll-interval | 10ms  | invalid configuration: mesh.health.poll-interval: must be at least 100ms, was 10ms",
        "mesh.health.poll-interval | 5m    | invalid configuration: mesh.health.poll-interval: must not exceed mesh.health.stall-after (2m), was 5m",
        "mesh.observe.token        | short | invalid configuration: mesh.observe.token: the token must be at least 16 printable ASCII characters",
        "mesh.observe.token-file   | /no/such/file | invalid configuration: mesh.observe.token-file: cannot read /no/such/file",
        "mesh.log.level            | loud  | invalid configuration: mesh.log.level: must be one of [trace, debug, info, warn, error], was 'loud'",
        "mesh.observe.auth         | token | invalid configuration: mesh.observe.auth: must be one of [open, api], was 'token'",
        "mesh.log.format           | xml   | invalid configuration: mesh.log.format: must be one of [text, json], was 'xml'",
    })
    void badValuesNameTheirKey(String key, String value, String message) {
        assertThatThrownBy(() -> ConfigParser.parse(Map.of(key, value)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
    }

    @Test
    void aShortTokenIsRefusedWithoutPrintingIt() {
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.observe.token", "tooShortSecret")))
                .isInstanceOf(ConfigException.class).message().doesNotContain("tooShortSecret");
    }

    @Test
    void onlyOneOfTokenAndTokenFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TOKEN);
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.observe.token", TOKEN,
                "mesh.observe.token-file", file.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mesh.observe.token-file: give only one of");
    }
}
