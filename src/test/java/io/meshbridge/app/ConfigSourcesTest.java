package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

    @TempDir
    Path dir;

    @Test
    void withoutALocalFileTheBundledDefaultsApply() {
        ConfigSources.Layered l = ConfigSources.load(dir, null, Map.of(), new Properties());
        assertThat(l.sources()).containsExactly("defaults in the jar");
        assertThat(l.properties()).containsEntry("mesh.http.port", "8080");
    }

    @Test
    void eachLayerOverridesTheOnesBefore() throws IOException {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/application.properties"),
                "mesh.http.port=1\nmesh.node.name=file\nmesh.stream.max-msgs=10\nmesh.data.dir=d1\nother=a\n");
        Files.writeString(dir.resolve("extra.properties"), "mesh.node.name=extra\nmesh.stream.max-msgs=20\n"
                + "mesh.data.dir=d2\n");
        Properties system = new Properties();
        system.setProperty("mesh.data.dir", "d4");
        system.setProperty("user.home", "/ignored");
        ConfigSources.Layered l = ConfigSources.load(dir, Path.of("extra.properties"),
                Map.of("MESH_STREAM_MAX_MSGS", "30", "MESH_DATA_DIR", "d3", "MESH_UNRELATED", "x"), system);
        assertThat(l.properties())
                .containsEntry("mesh.http.port", "1")
                .containsEntry("mesh.node.name", "extra")
                .containsEntry("mesh.stream.max-msgs", "30")
                .containsEntry("mesh.data.dir", "d4")
                .containsEntry("other", "a")
                .doesNotContainKeys("user.home", "mesh.unrelated", "mesh.nats.url");
        assertThat(l.sources()).hasSize(4).contains("environment", "system properties");
    }

    @Test
    void environmentNamesFollowTheKeys() {
        assertThat(ConfigKeys.environmentName("mesh.nats.url")).isEqualTo("MESH_NATS_URL");
        assertThat(ConfigKeys.environmentName("mesh.stream.max-msgs")).isEqualTo("MESH_STREAM_MAX_MSGS");
        assertThat(ConfigKeys.environmentName("mesh.nats.tls.first")).isEqualTo("MESH_NATS_TLS_FIRST");
    }

    @Test
    void whatCamelReadsByItselfCannotTurnOnItsDeveloperEndpoints() {
        for (String name : new String[] {"CAMEL_MANAGEMENT_SENDENABLED", "CAMEL_MANAGEMENT_UPLOAD_ENABLED",
            "camel_management_jolokiaenabled"}) {
            assertThatThrownBy(() -> ConfigSources.load(dir, null, Map.of(name, "true"), new Properties()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("invalid configuration: " + name + ": Camel's developer endpoints stay off");
        }
        Properties system = new Properties();
        system.setProperty("camel.management.downloadEnabled", "{{env:X:true}}");
        assertThatThrownBy(() -> ConfigSources.load(dir, null, Map.of(), system))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration: camel.management.downloadEnabled: Camel's developer");
        // off, or other management keys: taken
        system.setProperty("camel.management.downloadEnabled", "false");
        assertThat(ConfigSources.load(dir, null, Map.of("CAMEL_MANAGEMENT_SEND_ENABLED", "FALSE",
                "CAMEL_MANAGEMENT_ENABLED", "true", "CAMEL_MANAGEMENT_PORT", "9876"), system).properties())
                .doesNotContainKey("camel.management.downloadEnabled");
    }

    @Test
    void aMissingConfigFileIsAConfigurationError() {
        assertThatThrownBy(() -> ConfigSources.load(dir, Path.of("nope.properties"), Map.of(), new Properties()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: --config: no such file: nope.properties");
    }

    @Test
    void anUnknownMeshSystemPropertyIsReportedByTheParser() {
        Properties system = new Properties();
        system.setProperty("mesh.htp.port", "1");
        ConfigSources.Layered l = ConfigSources.load(dir, null, Map.of(), system);
        assertThatThrownBy(() -> ConfigParser.parse(l.properties()))
                .hasMessageStartingWith("invalid configuration: mesh.htp.port: unknown key");
    }
}
