package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshbridge.events.PersistConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

    @Test
    void theBundledFileHoldsExactlyTheDefaults() {
        Map<String, String> bundled = ConfigSources.bundled();
        Map<String, String> mesh = new HashMap<>();
        bundled.forEach((k, v) -> {
            if (k.startsWith("mesh.")) {
                mesh.put(k, v);
            }
        });
        assertThat(mesh).isEqualTo(ConfigKeys.DEFAULTS);
    }

    @Test
    void defaultsParse() {
        WorkerConfig c = ConfigParser.parse(Map.of());
        assertThat(c.nats().servers()).containsExactly("nats://127.0.0.1:4222");
        assertThat(c.embedded()).isEqualTo(WorkerConfig.Embedded.AUTO);
        assertThat(c.stream()).isEqualTo(PersistConfig.defaults());
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.routes()).isEqualTo("routes/*.yaml");
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.nodeName()).isNotBlank();
        assertThat(c.camelProperties()).as("the archive placeholders only").isEqualTo(
                Map.of("mesh.archive.dir", "./data/archive", "mesh.archive.worker-id", ""));
    }

    @Test
    void valuesAreParsed() {
        Map<String, String> p = new HashMap<>();
        p.put("mesh.nats.url", "nats://a:4222, tls://b:4223");
        p.put("mesh.nats.user", "worker");
        p.put("mesh.nats.password", "s3cret");
        p.put("mesh.nats.embedded", "NEVER");
        p.put("mesh.node.name", "edge-1");
        p.put("mesh.stream.name", "OTHER");
        p.put("mesh.stream.max-age", "1h30m");
        p.put("mesh.stream.max-msgs", "0");
        p.put("mesh.stream.storage", "memory");
        p.put("mesh.stream.replicas", "3");
        p.put("mesh.stream.duplicate-window", "PT45S");
        p.put("mesh.stream.update-existing", "true");
        p.put("mesh.http.port", "0");
        p.put("mesh.shutdown.timeout", "1500ms");
        p.put("camel.main.name", "x");
        p.put("out.dir", "/tmp/out");
        WorkerConfig c = ConfigParser.parse(p);
        assertThat(c.nats().servers()).containsExactly("nats://a:4222", "tls://b:4223");
        assertThat(c.nats().user()).isEqualTo("worker");
        assertThat(c.nats().password().value()).isEqualTo("s3cret");
        assertThat(c.nats().toString()).doesNotContain("s3cret");
        assertThat(c.embedded()).isEqualTo(WorkerConfig.Embedded.NEVER);
        assertThat(c.nodeName()).isEqualTo("edge-1");
        assertThat(c.stream().streamName()).isEqualTo("OTHER");
        assertThat(c.stream().maxAge()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.stream().maxMsgs()).isZero();
        assertThat(c.stream().replicas()).isEqualTo(3);
        assertThat(c.stream().duplicateWindow()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.stream().updateExisting()).isTrue();
        assertThat(c.httpPort()).isZero();
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.camelProperties()).isEqualTo(Map.of("camel.main.name", "x", "out.dir", "/tmp/out",
                "mesh.archive.dir", "./data/archive", "mesh.archive.worker-id", ""));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "mesh.stream.max-msgs        | -5          | invalid configuration: mesh.stream.max-msgs: must be 0 or more, was -5",
        "mesh.stream.max-msgs        | many        | invalid configuration: mesh.stream.max-msgs: not a whole number: 'many'",
        "mesh.stream.max-age         | 10 minutes  | invalid configuration: mesh.stream.max-age: not a duration: '10 minutes'",
        "mesh.shutdown.timeout       | -1s         | invalid configuration: mesh.shutdown.timeout: not a duration: '-1s'",
        "mesh.shutdown.timeout       | 0           | invalid configuration: mesh.shutdown.timeout: must be at least 1s, was 0",
        "mesh.stream.replicas        | 7           | invalid configuration: mesh.stream.replicas: must be 1 to 5, was 7",
        "mesh.http.port              | 70000       | invalid configuration: mesh.http.port: must be 0 to 65535, was 70000",
        "mesh.nats.embedded          | sometimes   | invalid configuration: mesh.nats.embedded: must be one of [auto, never], was 'sometimes'",
        "mesh.stream.storage         | disk        | invalid configuration: mesh.stream.storage: must be one of [file, memory], was 'disk'",
        "mesh.stream.update-existing | yes         | invalid configuration: mesh.stream.update-existing: must be true or false, was 'yes'",
        "mesh.stream.name            | a.b         | invalid configuration: mesh.stream.name: must be 1 to 255 letters, digits, '_' or '-', was 'a.b'",
        "mesh.stream.duplicate-window| 48h         | invalid configuration: mesh.stream.duplicate-window: must not exceed mesh.stream.max-age (24h), was 48h",
        "mesh.nats.url               | http://x:80 | invalid configuration: mesh.nats.url: malformed URL 'http://x:80': the scheme must be one of [nats, tls, ws, wss]",
        "mesh.nats.url               | nats://     | invalid configuration: mesh.nats.url: malformed URL 'nats://': Expected authority",
        "mesh.nats.url               | nats://a b  | invalid configuration: mesh.nats.url: malformed URL 'nats://a b': Illegal character in authority",
        "mesh.nats.url               | nats://a:4222,,nats://b | invalid configuration: mesh.nats.url: empty URL in 'nats://a:4222,,nats://b'",
        "mesh.nats.url               | nats://u:p@host:4222 | invalid configuration: mesh.nats.url: URL nats://…@host carries credentials; set mesh.nats.user/mesh.nats.password or mesh.nats.token so that they stay out of logs",
        "mesh.archive.worker-id      | ../x        | invalid configuration: mesh.archive.worker-id: must be 1 to 64 characters A-Z a-z 0-9 . _ -, not starting with '.' or '-', was '../x'",
        "mesh.nats.creds-file        | /no/such.creds | invalid configuration: mesh.nats.creds-file: no such file: /no/such.creds",
        "mesh.stream.maxmsgs         | 5           | invalid configuration: mesh.stream.maxmsgs: unknown key (the keys are documented in config/application.properties)",
        "mesh.nats.url               | ''          | invalid configuration: mesh.nats.url: must not be empty",
    })
    void anInvalidValueNamesItsKey(String key, String value, String message) {
        assertThatThrownBy(() -> ConfigParser.parse(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource({"camel.management.send-enabled", "camel.management.uploadEnabled", "camel.management.download-enabled",
        "camel.management.dev-console-enabled", "camel.management.jolokia-enabled"})
    void camelsDeveloperEndpointsCannotBeTurnedOn(String key) {
        assertThatThrownBy(() -> ConfigParser.parse(Map.of(key, " TRUE")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration: " + key + ": Camel's developer endpoints stay off");
        assertThatThrownBy(() -> ConfigParser.parse(Map.of(key, "{{env:ON:true}}")))
                .as("a placeholder Camel would resolve later").isInstanceOf(ConfigException.class);
        assertThat(ConfigParser.parse(Map.of(key, "false")).camelProperties()).containsEntry(key, "false");
        assertThat(ConfigParser.parse(Map.of("camel.management.enabled", "true")).camelProperties())
                .containsEntry("camel.management.enabled", "true");
    }

    @Test
    void passwordWithoutUserNamesTheMissingKey() {
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.nats.password", "x")))
                .hasMessage("invalid configuration: mesh.nats.user: required with mesh.nats.password");
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.nats.user", "u")))
                .hasMessage("invalid configuration: mesh.nats.password: required with mesh.nats.user");
    }

    @Test
    void twoWaysOfAuthenticatingAreRefused() {
        assertThatThrownBy(() -> ConfigParser.parse(Map.of("mesh.nats.user", "u", "mesh.nats.password", "p",
                "mesh.nats.token", "t")))
                .hasMessage("invalid configuration: mesh.nats.token: give only one way of authenticating;"
                        + " mesh.nats.user is set too");
    }

    @Test
    void secretsDoNotAppearInMessages() {
        for (Map<String, String> p : List.of(
                Map.of("mesh.nats.url", "nats://user:hunter2@host:4222"),
                Map.of("mesh.nats.token", "hunter2", "mesh.nats.user", "u", "mesh.nats.password", "hunter2"))) {
            assertThatThrownBy(() -> ConfigParser.parse(p)).message().doesNotContain("hunter2");
        }
    }

    @Test
    void durationsTakeUnitsAndIso8601() {
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("24h")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("1d2h3m4s5ms")).isEqualTo(Duration.parse("P1DT2H3M4.005S"));
        assertThat(Durations.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
        for (String bad : List.of("", "s", "5", "5 s", "1.5s", "-1s", "PT-1S", "1s2")) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
