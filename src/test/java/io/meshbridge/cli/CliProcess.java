package io.meshbridge.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged jar ({@code java -jar <mesh.jar> ...}) as a separate process and captures its output.
 * The jar's path comes from the system property {@code mesh.jar} (set by Failsafe). The child does not
 * inherit the NATS and node environment variables, so only the given arguments count.
 */
final class CliProcess implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Capture stdout;
    private final Capture stderr;
    private final long startNanos = System.nanoTime();

    private CliProcess(Process process) {
        this.process = process;
        this.stdout = new Capture(process.getInputStream(), "stdout");
        this.stderr = new Capture(process.getErrorStream(), "stderr");
    }

    /** What a finished run produced. */
    record Result(int exitCode, String stdout, String stderr, Duration elapsed) {

        List<String> stdoutLines() {
            return lines(stdout);
        }

        List<String> stderrLines() {
            return lines(stderr);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " after " + elapsed.toMillis() + " ms\n--- stdout\n" + stdout
                    + "--- stderr\n" + stderr;
        }
    }

    /** Runs to completion (killed after {@link #TIMEOUT}). */
    static Result run(String... args) throws IOException, InterruptedException {
        try (CliProcess p = start(args)) {
            return p.await(TIMEOUT);
        }
    }

    /** Runs to completion with extra environment variables for the child. */
    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        try (CliProcess p = start(env, args)) {
            return p.await(TIMEOUT);
        }
    }

    /** Starts the jar with {@code args}. */
    static CliProcess start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    /** Starts the jar with {@code args} and extra environment variables. */
    static CliProcess start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        for (String name : List.of("NATS_URL", "NATS_PASSWORD", "NATS_TOKEN", "MESH_NODE_NAME")) {
            builder.environment().remove(name);
        }
        builder.environment().putAll(env);
        return new CliProcess(builder.start());
    }

    static Path jar() {
        String property = System.getProperty("mesh.jar");
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            throw new IllegalStateException("system property mesh.jar must name the packaged jar (run with"
                    + " mvn verify), was " + property);
        }
        return Path.of(property);
    }

    /** Everything written to stdout so far. */
    String stdout() {
        return stdout.text();
    }

    /** Everything written to stderr so far. */
    String stderr() {
        return stderr.text();
    }

    Process process() {
        return process;
    }

    /** Waits for the process to end; kills it and fails after {@code timeout}. */
    Result await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the command did not end within " + timeout + "\n--- stdout\n" + stdout()
                    + "--- stderr\n" + stderr());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        stdout.join();
        stderr.join();
        return new Result(process.exitValue(), stdout(), stderr(), elapsed);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return List.of(trimmed.split("\n", -1));
    }

    /** Drains one output stream of the process on its own thread. */
    private static final class Capture {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        Capture(InputStream in, String name) {
            thread = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        synchronized (bytes) {
                            bytes.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "cli-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        void join() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
