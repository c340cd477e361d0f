package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.api.ApiConfig;
import io.meshbridge.camel.DeadLetterLimits;
import io.meshbridge.events.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The keys {@code mesh.api.*}, {@code mesh.http.host}, {@code mesh.http.tls.*} and {@code mesh.dlq.*}. */
class ApiKeysTest {

    private static final String A = "0123456789abcdef-api-a";
    private static final String B = "0123456789abcdef-api-b";

    @TempDir
    Path dir;

    @Test
    void defaults() {
        WorkerConfig c = ConfigParser.parse(Map.of());
        assertThat(c.api()).isEqualTo(ApiConfig.LOCKED);
        assertThat(c.http()).isEqualTo(new WorkerConfig.HttpServer("0.0.0.0", null, null));
        assertThat(c.deadLetters()).isEqualTo(DeadLetterLimits.DEFAULTS);
    }

    @Test
    void tokensComeFromTheKeyAndTheFileTogetherAndNeverPrint() throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "# api tokens\n" + B + "\n\n");
        ApiConfig c = ConfigParser.parse(Map.of("mesh.api.tokens", A, "mesh.api.tokens-file", file.toString()))
                .api();
        assertThat(c.tokens()).extracting(Secret::value).containsExactly(A, B);
        assertThat(c.toString()).doesNotContain(A).doesNotContain(B);
        assertThat(ConfigKeys.SECRETS).contains("mesh.api.tokens");
        assertThat(ConfigParser.parse(Map.of("mesh.api.auth", "NONE")).api().auth()).isEqualTo(ApiConfig.Auth.NONE);
    }

    @Test
    void limitsAndTheServerAreParsed() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        WorkerConfig c = ConfigParser.parse(Map.of("mesh.dlq.max-age", "7d", "mesh.dlq.max-bytes", "512MiB",
                "mesh.http.host", "127.0.0.1", "mesh.http.tls.cert", cert.toString(), "mesh.http.tls.key",
                key.toString()));
        assertThat(c.deadLetters()).isEqualTo(new DeadLetterLimits(Duration.ofDays(7), 512L << 20));
        assertThat(c.http().tls()).isTrue();
        assertThat(c.http().host()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mesh.api.auth        | maybe  | invalid configuration: mesh.api.auth: must be one of [token, none], was 'maybe'",
        "mesh.api.tokens      | short  | invalid configuration: mesh.api.tokens: token 1 must be at least 16 printable ASCII characters",
        "mesh.api.tokens-file | /no/such/file | invalid configuration: mesh.api.tokens-file: cannot read /no/such/file",
        "mesh.dlq.max-age     | 10m    | invalid configuration: mesh.dlq.max-age: must be at least 1h, was 10m",
        "mesh.dlq.max-bytes   | 1KiB   | invalid configuration: mesh.dlq.max-bytes: must be 1MiB to 1048576GiB, was '1KiB'",
        "mesh.dlq.max-bytes   | lots   | invalid configuration: mesh.dlq.max-bytes: not a size: 'lots'",
        "mesh.http.host       | a b    | invalid configuration: mesh.http.host: must be an address or host name",
        "mesh.http.tls.cert   | /no/such/cert | invalid configuration: mesh.http.tls.cert: no such file: /no/such/cert",
    })
    void badValuesNameTheirKey(String key, String value, String message) {
        assertThatThrownBy(() -> ConfigParser.parse(Map.of(key, value))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void everySecretKeyAlsoReadsFromAFile() throws Exception {
        Path password = Files.writeString(dir.resolve("password"), "s3cret-password\n");
        Path token = Files.writeString(dir.resolve("token"), "nats-token-0123456789\n");
        WorkerConfig c = ConfigParser.parse(Map.of("mesh.nats.user", "app", "mesh.nats.password-file",
                password.toString()));
        assertThat(c.nats().password().value()).isEqualTo("s3cret-password");
        assertThat(ConfigParser.parse(Map.of("mesh.nats.token-file", token.toString())).nats().token().value())
                .isEqualTo("nats-token-0123456789");
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.nats.token", "x", "mesh.nats.token-file",
                token.toString()))).hasMessage("invalid configuration: mesh.nats.token-file: give only one of"
                + " mesh.nats.token and mesh.nats.token-file");
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.ingest.signature-secrets-file", "/no/such")))
                .hasMessageStartingWith("invalid configuration: mesh.ingest.signature-secrets-file: cannot read");
        for (String key : ConfigKeys.SECRETS) {
            assertThat(ConfigKeys.known(key + "-file") || ConfigKeys.known(key.replace("tokens", "tokens-file"))
                    || ConfigKeys.known(key + "s-file")).as(key + " has a file key").isTrue();
        }
    }

    @Test
    void aTokenGivenTwiceOrACertWithoutKeyIsRefused() throws Exception {
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.api.tokens", A + "," + A)))
                .hasMessage("invalid configuration: mesh.api.tokens: a token is given twice");
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.http.tls.cert", cert.toString())))
                .hasMessage("invalid configuration: mesh.http.tls.key: required with mesh.http.tls.cert");
    }
}
