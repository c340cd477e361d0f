package io.meshbridge.app;

import static org.awaitility.Awaitility.await;

import io.meshbridge.testing.NatsServerBinary;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar ({@code java -jar <mesh.jar> ...}, path from the system property {@code mesh.jar}) run
 * as a separate process in a working directory, its stdout and stderr going to a log file there. The child
 * gets no {@code NATS_*} or {@code MESH_*} variables from the test's environment, and a {@code PATH} with
 * the directory of the harness's nats-server in front. Public for the tests of the command line against a worker.
 */
public final class WorkerProcess implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern HTTP_PORT = Pattern.compile("HTTP port (\\d+) \\(GET /health\\)");

    private final String name;
    private final Process process;
    private final Path log;

    private WorkerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code java [jvmArgs] -jar mesh.jar args} in {@code workDir}, logging to {@code <name>.log}. */
    static WorkerProcess start(String name, Path workDir, Map<String, String> env, List<String> jvmArgs,
                               String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(Arrays.asList(args));
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("NATS_") || k.startsWith("MESH_"));
        String natsDir = NatsServerBinary.require().path().toAbsolutePath().getParent().toString();
        builder.environment().put("PATH", natsDir + File.pathSeparator + System.getenv().getOrDefault("PATH", ""));
        builder.environment().putAll(env);
        return new WorkerProcess(name, builder.start(), log);
    }

    /** Starts the worker ({@code run}) and waits until it says it has started. */
    static WorkerProcess startWorker(String name, Path workDir, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(Arrays.asList(extraArgs));
        WorkerProcess w = start(name, workDir, Map.of(), List.of(), args.toArray(String[]::new));
        w.awaitOutput("mesh-bridge worker ", START_TIMEOUT);
        w.awaitOutput(" started: ", START_TIMEOUT);
        return w;
    }

    static Path jar() {
        String property = System.getProperty("mesh.jar");
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            throw new IllegalStateException("system property mesh.jar must name the packaged jar (run with"
                    + " mvn verify), was " + property);
        }
        return Path.of(property);
    }

    String name() {
        return name;
    }

    Process process() {
        return process;
    }

    /** Everything the process has written so far. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Waits until the output contains {@code fragment}; fails early when the process exits first. */
    void awaitOutput(String fragment, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .failFast("worker " + name + " exited", () -> !process.isAlive() && !output().contains(fragment))
                .until(() -> output().contains(fragment));
    }

    /** The HTTP port the worker logged. */
    public int httpPort() {
        Matcher m = HTTP_PORT.matcher(output());
        if (!m.find()) {
            throw new AssertionError("worker " + name + " did not log its HTTP port");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Whether the process has ended (for Awaitility's failFast while waiting on its work). */
    public boolean exited() {
        return !process.isAlive();
    }

    /** SIGTERM. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("worker " + name + " survived SIGKILL");
        }
    }

    /** Waits for the exit; fails after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("worker " + name + " did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** The output framed for a failure report. */
    String report() {
        return "----- " + name + " (" + (process.isAlive() ? "running" : "exit " + process.exitValue())
                + ") -----\n" + output();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
