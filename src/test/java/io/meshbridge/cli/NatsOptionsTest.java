package io.meshbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.events.NatsConnectionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NatsOptionsTest {

    private static NatsOptions parse(Map<String, String> env, String... args) {
        ListCommand list = new ListCommand();
        new CommandLine(list).parseArgs(args);
        return list.nats.withEnv(env);
    }

    @Test
    void serverComesFromTheOptionElseNatsUrlElseTheDefault() {
        assertThat(parse(Map.of("NATS_URL", "nats://env:4222"), "--server", "nats://a:1, nats://b:2").config()
                .servers()).containsExactly("nats://a:1", "nats://b:2");
        assertThat(parse(Map.of("NATS_URL", "nats://env:4222")).config().servers())
                .containsExactly("nats://env:4222");
        assertThat(parse(Map.of()).config().servers()).containsExactly(NatsConnectionConfig.DEFAULT_URL);
    }

    @Test
    void passwordAndTokenMayComeFromTheEnvironmentAndNeverPrint() {
        NatsConnectionConfig withUser = parse(Map.of("NATS_PASSWORD", "s3cret", "NATS_TOKEN", "t0k3n-x"),
                "--user", "alice").config();
        assertThat(withUser.user()).isEqualTo("alice");
        assertThat(withUser.password().value()).isEqualTo("s3cret");
        assertThat(withUser.token()).isNull();
        assertThat(withUser.toString()).doesNotContain("s3cret");

        NatsConnectionConfig withToken = parse(Map.of("NATS_TOKEN", "t0k3n-x")).config();
        assertThat(withToken.token().value()).isEqualTo("t0k3n-x");
        assertThat(withToken.toString()).doesNotContain("t0k3n-x");
    }

    @Test
    void optionsWinOverTheEnvironment() {
        NatsConnectionConfig config = parse(Map.of("NATS_PASSWORD", "env"), "--user", "u", "--password", "cli")
                .config();
        assertThat(config.password().value()).isEqualTo("cli");
        assertThat(parse(Map.of("NATS_TOKEN", "env"), "--token", "cli").config().token().value()).isEqualTo("cli");
    }

    @Test
    void contradictionsAreUsageErrors() {
        assertThatThrownBy(() -> parse(Map.of(), "--user", "u").config()).isInstanceOf(CliException.class)
                .hasMessageContaining("NATS_PASSWORD")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(2));
        assertThatThrownBy(() -> parse(Map.of(), "--password", "p").config()).isInstanceOf(CliException.class);
        assertThatThrownBy(() -> parse(Map.of(), "--token", "t", "--user", "u", "--password", "p").config())
                .isInstanceOf(CliException.class).hasMessageContaining("only one");
        assertThatThrownBy(() -> parse(Map.of(), "--creds", "/nonexistent/x.creds").config())
                .isInstanceOf(CliException.class).hasMessageContaining("--creds");
        assertThatThrownBy(() -> parse(Map.of(), "--server", "nats://u:p@host:4222").config())
                .isInstanceOf(CliException.class).hasMessageNotContaining("u:p");
    }

    @Test
    void tlsFilesEnableTls(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        NatsConnectionConfig config = parse(Map.of(), "--tls-ca", ca.toString(), "--tls-first").config();

        assertThat(config.tls().enabled()).isTrue();
        assertThat(config.tls().caFile()).isEqualTo(ca);
        assertThat(config.tls().handshakeFirst()).isTrue();
        assertThat(parse(Map.of()).config().tls().enabled()).isFalse();
    }

    @Test
    void streamAndConnectTimeoutHaveDefaults() {
        NatsOptions defaults = parse(Map.of());
        assertThat(defaults.stream()).isEqualTo("MESH_EVENTS");
        assertThat(defaults.config().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        NatsOptions custom = parse(Map.of(), "--stream", "OTHER", "--connect-timeout", "500ms");
        assertThat(custom.stream()).isEqualTo("OTHER");
        assertThat(custom.config().connectTimeout()).isEqualTo(Duration.ofMillis(500));
    }
}
