package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerTest {

    @Test
    void camelMainGetsTheTemplatesTheRoutesGlobThePortAndTheShutdownTimeout() {
        WorkerConfig config = ConfigParser.parse(Map.of("mesh.http.port", "0", "mesh.shutdown.timeout", "1500ms",
                "mesh.routes", "/etc/mesh/routes/*.yaml", "out.dir", "/tmp/out"));
        Map<String, String> p = Worker.camelProperties(config);
        assertThat(p).containsEntry("camel.main.routes-include-pattern",
                        "classpath:templates/*.yaml,file:/etc/mesh/routes/*.yaml")
                .containsEntry("camel.server.enabled", "true")
                .containsEntry("camel.server.port", "0")
                .containsEntry("camel.main.shutdown-timeout", "2")
                .containsEntry("out.dir", "/tmp/out")
                .containsEntry("mesh.archive.dir", "./data/archive");
        // of the worker's own keys only the archive's reach Camel (and its placeholder log): never secrets
        assertThat(p.keySet()).filteredOn(k -> k.startsWith("mesh."))
                .containsExactlyInAnyOrder("mesh.archive.dir", "mesh.archive.worker-id");
    }

    @Test
    void aRelativeRoutesGlobIsResolvedAgainstTheWorkingDirectory() {
        assertThat(Worker.routesGlob("routes/*.yaml"))
                .isEqualTo(Path.of("").toAbsolutePath().resolve("routes").toString() + "/*.yaml");
        assertThat(Worker.routesGlob("/abs/*.yaml")).isEqualTo("/abs/*.yaml");
    }
}
