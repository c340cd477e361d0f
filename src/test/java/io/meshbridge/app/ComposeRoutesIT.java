package io.meshbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.meshbridge.testing.NatsServerExtension;
import io.nats.client.Connection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docker-compose.yml runs, without a container engine: the worker (packaged jar) with the shipped
 * routes ({@code routes/}) and the compose file's webhook route ({@code config/compose/webhook-crashes.yaml},
 * its receiver given by {@code WEBHOOK_URL}) posting to a real HTTP server; and the image's health probe,
 * {@code bin/mesh-bridge health}, against that worker.
 */
class ComposeRoutesIT {

    private static final String STREAM = "MESH_EVENTS";
    private static final Duration DONE = Duration.ofSeconds(60);

    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @RegisterExtension
    final Workers workers = new Workers();

    @TempDir
    Path dir;

    private HttpServer receiver;
    private final List<String> posts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            posts.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void theComposeRoutesPostACrashToTheReceiverAndTheProbeSeesTheWorker() throws Exception {
        WorkDir.create(dir, NATS.url(), "[]\n", Map.of("mesh.archive.dir", dir.resolve("archive").toString(),
                "mesh.archive.worker-id", "worker-1"));
        Files.delete(dir.resolve("routes/test.yaml"));
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path route : shipped.toList()) {
                Files.copy(route, dir.resolve("routes").resolve(route.getFileName()));
            }
        }
        Files.copy(Path.of("config/compose/webhook-crashes.yaml"), dir.resolve("routes/webhook-crashes.yaml"));
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/crashes";
        WorkerProcess worker = workers.track(WorkerProcess.start("worker", dir, Map.of("WEBHOOK_URL", url),
                List.of(), "run"));
        worker.awaitOutput(" started: ", WorkerProcess.START_TIMEOUT);
        assertThat(worker.output()).contains("crashes-to-webhook", "archive-events", "log-events");

        Connection nc = NATS.connect();
        String crash = PlainNats.publish(nc, "tool.crashed", 1).get(0);
        PlainNats.publish(nc, "tool.started", 1);
        await().atMost(DONE).failFast("the worker exited", worker::exited)
                .until(() -> PlainNats.drained(nc, STREAM, "crashes-to-webhook")
                        && PlainNats.drained(nc, STREAM, "archive-events"));
        assertThat(posts).singleElement().asString().startsWith("POST /hooks/crashes {\"type\":\"tool.crashed\"");
        assertThat(crash).startsWith("tool.crashed-");

        Probe up = probe(worker.httpPort());
        assertThat(up.exit).as(up.output).isZero();
        assertThat(up.output).isEqualTo("UP (http://127.0.0.1:" + worker.httpPort() + "/health)\n");

        int port = worker.httpPort();
        worker.terminate();
        worker.awaitExit(DONE);
        Probe gone = probe(port);
        assertThat(gone.exit).as(gone.output).isEqualTo(1);
        assertThat(gone.output).isEqualTo("cannot reach http://127.0.0.1:" + port + "/health: connection refused\n");
    }

    private record Probe(int exit, String output) {
    }

    /** {@code bin/mesh-bridge health} as the image's HEALTHCHECK runs it, with the worker's port. */
    private Probe probe(int port) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Path.of("bin/mesh-bridge").toAbsolutePath().toString(),
                "health", "--timeout", "5s").redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("MESH_") || k.startsWith("JAVA"));
        builder.environment().put("MESH_HTTP_PORT", String.valueOf(port));
        builder.environment().put("MESH_JAR", WorkerProcess.jar().toString());
        builder.environment().put("MESH_CDS", "off");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Probe(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
