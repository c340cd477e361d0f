package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Starting the worker: configuration errors, no server, and the embedded nats-server's lifecycle. */
class WorkerStartIT {

    @RegisterExtension
    final Workers workers = new Workers();

    @TempDir
    Path dir;

    @Test
    void anInvalidValueEndsTheStartWithExitCode2AndOneLineNamingTheKey() throws Exception {
        Path config = WorkDir.writeProperties(dir.resolve("bad.properties"), Map.of("mesh.stream.max-msgs", "-5"));
        WorkerProcess w = workers.track(WorkerProcess.start("bad-file", dir, Map.of(), List.of(),
                "run", "--config", config.toString()));
        assertThat(w.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(w.output()).isEqualTo("invalid configuration: mesh.stream.max-msgs: must be 0 or more, was -5\n");

        WorkerProcess env = workers.track(WorkerProcess.start("bad-env", dir,
                Map.of("MESH_SHUTDOWN_TIMEOUT", "soon"), List.of(), "run"));
        assertThat(env.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(env.output().lines().toList()).singleElement().asString()
                .startsWith("invalid configuration: mesh.shutdown.timeout: not a duration: 'soon'");

        WorkerProcess unknown = workers.track(WorkerProcess.start("bad-key", dir, Map.of(),
                List.of("-Dmesh.stream.maxmsgs=5"), "run"));
        assertThat(unknown.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(unknown.output().lines().toList()).singleElement().asString()
                .startsWith("invalid configuration: mesh.stream.maxmsgs: unknown key");
    }

    @Test
    void withEmbeddedNeverAndNothingAnsweringTheStartFailsWithExitCode1() throws Exception {
        int port = freePort();
        WorkerProcess w = workers.track(WorkerProcess.start("never", dir, Map.of(
                "MESH_NATS_URL", "nats://127.0.0.1:" + port, "MESH_NATS_EMBEDDED", "never",
                "MESH_HTTP_PORT", "0"), List.of(), "run"));
        assertThat(w.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(w.output()).contains("nothing answers at [nats://127.0.0.1:" + port
                + "] and mesh.nats.embedded is never").doesNotContain("\tat ");
    }

    @Test
    void withNothingAnsweringALocalNatsServerIsStartedAndStoppedWithTheWorker() throws Exception {
        int port = freePort();
        Files.createDirectories(dir.resolve("routes"));
        Files.writeString(dir.resolve("routes/log.yaml"), """
                - templatedRoute:
                    routeTemplateRef: mesh-log
                    routeId: log-all
                    parameters:
                      - name: filter
                        value: "events.>"
                """);
        WorkerProcess w = workers.track(WorkerProcess.start("embedded", dir, Map.of(
                "MESH_NATS_URL", "nats://127.0.0.1:" + port, "MESH_HTTP_PORT", "0"), List.of(), "run"));
        w.awaitOutput(" started: ", WorkerProcess.START_TIMEOUT);

        Matcher m = Pattern.compile("started a local nats-server .* \\(pid (\\d+)\\) with JetStream at"
                + " nats://127\\.0\\.0\\.1:" + port).matcher(w.output());
        assertThat(m.find()).as("the log says the local server started on the URL's port").isTrue();
        ProcessHandle server = ProcessHandle.of(Long.parseLong(m.group(1))).orElseThrow();
        assertThat(Files.isDirectory(dir.resolve("data/nats"))).isTrue();

        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + w.httpPort() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");

        w.terminate();
        w.awaitExit(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(15)).until(() -> !server.isAlive());
        assertThat(w.output()).contains("Stopped the local nats-server");
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
