package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.ingest.IngestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code mesh.ingest.*} keys: defaults, values, tokens from the key and a file, and errors naming the key. */
class IngestKeysTest {

    static final String S1 = "0123456789abcdef0123";
    static final String S2 = "fedcba9876543210fedc";

    @Test
    void defaultsLockTheIngest() {
        IngestConfig c = ConfigParser.parse(Map.of()).ingest();
        assertThat(c.auth()).isEqualTo(IngestConfig.Auth.TOKEN);
        assertThat(c.tokens().isEmpty()).isTrue();
        assertThat(c.maxBody()).isEqualTo(256 * 1024);
        assertThat(c.maxDepth()).isEqualTo(32);
        assertThat(c.ackTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.maxInFlight()).isEqualTo(1000);
        assertThat(c.rateLimit()).isZero();
        assertThat(c).isEqualTo(IngestConfig.defaults(IngestConfig.Auth.TOKEN, c.tokens()));
    }

    @Test
    void valuesAndTokensFromTheKeyAndTheFileTogether(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "# ingest tokens\nci:" + S2 + ";topics=build;node=ci\n\n");
        Map<String, String> p = new HashMap<>();
        p.put("mesh.ingest.auth", "NONE");
        p.put("mesh.ingest.tokens", "all:" + S1);
        p.put("mesh.ingest.tokens-file", file.toString());
        p.put("mesh.ingest.max-body", "1MiB");
        p.put("mesh.ingest.max-depth", "63");
        p.put("mesh.ingest.ack-timeout", "500ms");
        p.put("mesh.ingest.retry-after", "10s");
        p.put("mesh.ingest.max-in-flight", "64");
        p.put("mesh.ingest.rate-limit", "100");
        WorkerConfig w = ConfigParser.parse(p);
        IngestConfig c = w.ingest();
        assertThat(c.auth()).isEqualTo(IngestConfig.Auth.NONE);
        assertThat(c.tokens().tokens()).extracting(t -> t.name()).containsExactly("all", "ci");
        assertThat(c.tokens().tokens().get(1).node()).isEqualTo("ci");
        assertThat(c.maxBody()).isEqualTo(1024 * 1024);
        assertThat(c.maxDepth()).isEqualTo(63);
        assertThat(c.ackTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxInFlight()).isEqualTo(64);
        assertThat(c.rateLimit()).isEqualTo(100);
        assertThat(w.toString()).doesNotContain(S1).doesNotContain(S2);
        assertThat(Worker.camelProperties(w)).containsEntry("camel.server.max-body-size", "1048576");
        assertThat(IngestKeys.size("k", "512")).isEqualTo(512);
        assertThat(IngestKeys.size("k", "64KiB")).isEqualTo(65536);
    }

    @Test
    void signatureSecretsAreReadAndNeverPrinted() {
        String key = "whsec_" + java.util.Base64.getEncoder().encodeToString("k0123456789abcdef".getBytes());
        String key2 = "whsec_" + java.util.Base64.getEncoder().encodeToString("second-key-012345".getBytes());
        WorkerConfig w = ConfigParser.parse(Map.of("mesh.ingest.signature-secrets", key + " " + key2));
        assertThat(w.ingest().signatureSecrets()).hasSize(2);
        assertThat(w.toString()).doesNotContain(key.substring(6)).doesNotContain(key2.substring(6));
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.ingest.signature-secrets", "hunter2secret")))
                .message().doesNotContain("hunter2secret");
    }

    @Test
    void anOperatorsOwnServerBodyLimitWins() {
        WorkerConfig w = ConfigParser.parse(Map.of("camel.server.maxBodySize", "9999999"));
        assertThat(Worker.camelProperties(w)).doesNotContainKey("camel.server.max-body-size")
                .containsEntry("camel.server.maxBodySize", "9999999");
        assertThat(IngestWiring.maxBodySize(w)).isEqualTo("9999999");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "mesh.ingest.auth          | basic  | invalid configuration: mesh.ingest.auth: must be one of [token, none], was 'basic'",
        "mesh.ingest.max-body      | 1GB    | invalid configuration: mesh.ingest.max-body: not a size: '1GB' (use bytes, or 64KiB, 1MiB, 1GiB)",
        "mesh.ingest.max-body      | 65MiB  | invalid configuration: mesh.ingest.max-body: must be 2 bytes to 64MiB, was '65MiB'",
        "mesh.ingest.max-depth     | 64     | invalid configuration: mesh.ingest.max-depth: must be 1 to 63, was 64",
        "mesh.ingest.ack-timeout   | 50ms   | invalid configuration: mesh.ingest.ack-timeout: must be 100ms to 1m, was 50ms",
        "mesh.ingest.ack-timeout   | soon   | invalid configuration: mesh.ingest.ack-timeout: not a duration: 'soon'",
        "mesh.ingest.retry-after   | 500ms  | invalid configuration: mesh.ingest.retry-after: must be at least 1s, was 500ms",
        "mesh.ingest.max-in-flight | 0      | invalid configuration: mesh.ingest.max-in-flight: must be 1 to 100000, was 0",
        "mesh.ingest.rate-limit    | -1     | invalid configuration: mesh.ingest.rate-limit: must be 0 to 1000000, was -1",
        "mesh.ingest.tokens        | nocolon | invalid configuration: mesh.ingest.tokens: token 1: expected NAME:SECRET[;topics=A|B][;node=N]",
        "mesh.ingest.tokens        | a:short | invalid configuration: mesh.ingest.tokens: token 1: token a: the secret must be at least 16 characters",
        "mesh.ingest.tokens-file   | /no/such/tokens | invalid configuration: mesh.ingest.tokens-file: cannot read /no/such/tokens: NoSuchFileException",
        "mesh.ingest.token         | x      | invalid configuration: mesh.ingest.token: unknown key",
        "mesh.ingest.signature-secrets | hunter2secret | invalid configuration: mesh.ingest.signature-secrets: ",
    })
    void anInvalidValueNamesItsKey(String key, String value, String message) {
        assertThatThrownBy(() -> ConfigParser.parse(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo(key);
    }

    @Test
    void tokenErrorsNeverNameTheSecret(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("tokens"), "a:" + S2 + "\n");
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.ingest.tokens", "a:" + S1,
                "mesh.ingest.tokens-file", file.toString())))
                .hasMessage("invalid configuration: mesh.ingest.tokens, mesh.ingest.tokens-file: token name a is given twice");
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.ingest.tokens", "a:" + S1 + " x")))
                .message().doesNotContain(S1);
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.ingest.tokens", "a:" + S1 + ";topics=*")))
                .message().doesNotContain(S1).contains("wildcard");
    }
}
