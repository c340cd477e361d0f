package io.meshbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshbridge.testing.NatsServerBinary;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's runtime stage laid out on this machine, without a container engine: {@code /app} as the
 * Dockerfile builds it (launcher, jar, config, routes, its AppCDS archive made as root, read-only for the
 * user) with {@code data/} and {@code data/archive} owned by the user, and nats-server on the {@code PATH}.
 * As that user (nobody, through setpriv, when the tests run as root) the worker starts on the embedded
 * default, the HEALTHCHECK's command answers, events are emitted, listed and archived, and SIGTERM to the
 * launcher stops the worker. The one deviation from {@code docker run IMAGE}: free ports instead of 4222 and
 * 8080, which other processes on a shared machine may hold.
 */
class ImageLayoutIT {

    private static final String SETPRIV = "/usr/bin/setpriv";
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private List<String> runAs = List.of();
    private Path app;
    private Map<String, String> env;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void theWorkerRunsOnTheEmbeddedDefaultAsTheUserAndAnswersTheHealthCheck() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            assumeTrue(Files.isExecutable(Path.of(SETPRIV)), "running as root without " + SETPRIV
                    + ": the image's user cannot be played here");
            runAs = List.of(SETPRIV, "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--");
        }
        layOut(root);
        // as the Dockerfile's RUN does, as root: the launcher makes its archive next to the jar
        ProcessBuilder asRoot = new ProcessBuilder(app.resolve("bin/mesh-bridge").toString(), "--version")
                .redirectErrorStream(true).redirectOutput(dir.resolve("training.log").toFile());
        asRoot.environment().keySet().removeIf(k -> k.startsWith("MESH_") || k.startsWith("JAVA"));
        asRoot.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process training = asRoot.start();
        assertThat(training.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(training.exitValue()).as(Files.readString(dir.resolve("training.log"))).isZero();
        List<Path> archives = jsa(app);
        assertThat(archives).hasSize(1);

        int natsPort = freePort();
        int httpPort = freePort();
        String nats = "nats://127.0.0.1:" + natsPort;
        env = new HashMap<>(Map.of("PATH", app.resolve("bin") + ":" + app.resolve("usr-local-bin") + ":/usr/bin:/bin",
                "JAVA_HOME", System.getProperty("java.home"), "HOME", app.toString(),
                "MESH_ARCHIVE_WORKER_ID", "mesh-bridge", "MESH_HTTP_PORT", String.valueOf(httpPort),
                "MESH_NATS_URL", nats));
        Process worker = start(dir.resolve("worker.log"), "mesh-bridge", "run");

        // the HEALTHCHECK's command, as the Dockerfile gives it
        List<String> healthcheck = List.of("env", "JAVA_OPTS=",
                "MESH_JAVA_OPTS=-Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC", "mesh-bridge", "health",
                "--timeout", "5s");
        try {
            await().atMost(Duration.ofSeconds(120)).failFast("the worker exited", () -> !worker.isAlive())
                    .until(() -> run(healthcheck).exit == 0);
        } catch (RuntimeException e) {
            throw new AssertionError("the worker did not become healthy; its log:\n"
                    + Files.readString(dir.resolve("worker.log")), e);
        }
        Run health = run(healthcheck);
        assertThat(health.output).isEqualTo("UP (http://127.0.0.1:" + httpPort + "/health)\n");
        assertThat(Files.readString(dir.resolve("worker.log"))).contains("started a local nats-server");

        Run emit = run(List.of("mesh-bridge", "events", "emit", "tool.started", "tool=image", "--server", nats));
        assertThat(emit.exit).as(emit.output).isZero();
        Run list = run(List.of("mesh-bridge", "events", "list", "--filter", "tool.*", "--server", nats));
        assertThat(list.exit).as(list.output).isZero();
        assertThat(list.output.lines()).singleElement().asString().contains("tool.started", "\"tool\":\"image\"");
        await().atMost(Duration.ofSeconds(60)).until(() -> archived(app.resolve("data/archive")));

        assertThat(Files.getAttribute(app.resolve("data/nats"), "unix:uid")).isEqualTo(root ? NOBODY
                : Files.getAttribute(dir, "unix:uid"));
        assertThat(jsa(app)).isEqualTo(archives);
        assertThat(app.resolve(".cache")).doesNotExist();

        worker.destroy();
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("the worker stopped on SIGTERM").isTrue();
        assertThat(Files.readString(dir.resolve("worker.log"))).contains("Stopped the local nats-server");
    }

    /** /app as the runtime stage builds it, owned by root (755/644), data/ owned by the user. */
    private void layOut(boolean root) throws IOException {
        app = Files.createDirectories(dir.resolve("app"));
        Files.createDirectories(app.resolve("bin"));
        Files.copy(Path.of("bin/mesh-bridge"), app.resolve("bin/mesh-bridge"));
        Files.copy(Path.of(System.getProperty("mesh.jar")), app.resolve("mesh-bridge.jar"));
        Files.createDirectories(app.resolve("config"));
        Files.copy(Path.of("config/application.properties"), app.resolve("config/application.properties"));
        Files.createDirectories(app.resolve("routes"));
        try (Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path r : routes.toList()) {
                Files.copy(r, app.resolve("routes").resolve(r.getFileName()));
            }
        }
        Path natsDir = Files.createDirectories(app.resolve("usr-local-bin"));
        Files.copy(NatsServerBinary.require().path(), natsDir.resolve("nats-server"));
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                boolean exec = Files.isDirectory(p) || p.endsWith("mesh-bridge") || p.endsWith("nats-server");
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Path data = Files.createDirectories(app.resolve("data/archive"));
        if (root) {
            Files.setAttribute(app.resolve("data"), "unix:uid", NOBODY);
            Files.setAttribute(app.resolve("data"), "unix:gid", NOBODY);
            Files.setAttribute(data, "unix:uid", NOBODY);
            Files.setAttribute(data, "unix:gid", NOBODY);
        }
    }

    private record Run(int exit, String output) {
    }

    private Process start(Path log, String... command) throws IOException {
        List<String> full = new ArrayList<>(runAs);
        full.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(full).directory(app.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process p = builder.start();
        processes.add(p);
        return p;
    }

    private Run run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = start(log, command.toArray(String[]::new));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static boolean archived(Path archive) throws IOException {
        try (Stream<Path> files = Files.walk(archive)) {
            return files.anyMatch(p -> p.toString().contains("tool.started") && Files.isRegularFile(p));
        }
    }

    private static List<Path> jsa(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jsa")).sorted().toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
