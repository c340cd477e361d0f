package io.meshbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs nats-server as a child process on 127.0.0.1, with its store, config file and logs in a private
 * temporary directory. Each start writes a new log file ({@code nats-server-N.log}) so that readiness is
 * never read from an earlier run's log. Live processes are killed by a shutdown hook if the JVM exits
 * without closing them.
 *
 * <p>Threading: not thread-safe; {@link NatsServer} serializes calls.
 */
final class ProcessBackend implements ServerBackend {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> LIVE.forEach(Process::destroyForcibly), "nats-server-reaper"));
    }

    private final NatsServerBinary binary;
    private final NatsServer.Settings settings;
    private final Path workDir;
    private final Path storeDir;
    private Path configFile;
    private Path logFile;
    private Path outFile;
    private int port;
    private int starts;
    private Process process;
    private boolean paused;
    private List<String> command = List.of();

    ProcessBackend(NatsServerBinary binary, NatsServer.Settings settings) {
        this.binary = binary;
        this.settings = settings;
        try {
            this.workDir = Files.createTempDirectory(settings.name() + "-");
            this.storeDir = Files.createDirectories(workDir.resolve("store"));
            if (settings.config() != null) {
                configFile = Files.writeString(workDir.resolve("nats-server.conf"), settings.config());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the nats-server work directory", e);
        }
        this.port = settings.port();
    }

    @Override
    public void start() {
        if (isRunning()) {
            throw new IllegalStateException("nats-server is already running on port " + port);
        }
        boolean fixedPort = port != 0;
        long deadline = System.nanoTime() + settings.readyTimeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            if (!fixedPort) {
                port = FreePorts.pick();
            } else {
                FreePorts.awaitBindable(port, remaining(deadline));
            }
            launch();
            if (awaitReady(deadline)) {
                return;
            }
            boolean portTaken = !process.isAlive() && logTail(50).contains("address already in use");
            if (portTaken && attempt < 20 && System.nanoTime() < deadline) {
                LIVE.remove(process);
                continue; // a random port raced with another process, or a fixed one is still held
            }
            String tail = logTail(40);
            String state = process.isAlive()
                    ? "was not ready within " + settings.readyTimeout().toSeconds() + " s"
                    : "exited with code " + process.exitValue() + " before it was ready";
            kill();
            throw new IllegalStateException("nats-server " + binary.version() + " on port " + port + " " + state
                    + " (attempt " + attempt + ", command: " + String.join(" ", command) + "); log "
                    + logFile + " ends with:\n" + tail);
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0));
    }

    private void launch() {
        starts++;
        logFile = workDir.resolve("nats-server-" + starts + ".log");
        outFile = workDir.resolve("nats-server-" + starts + ".out");
        command = new ArrayList<>(List.of(binary.path().toString(),
                "-a", "127.0.0.1", "-p", Integer.toString(port), "-l", logFile.toString()));
        if (settings.jetStream()) {
            command.addAll(List.of("-js", "-sd", storeDir.toString()));
        }
        if (configFile != null) {
            command.addAll(List.of("-c", configFile.toString()));
        }
        command.addAll(settings.args());
        try {
            process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(outFile.toFile())
                    .start();
            LIVE.add(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /** Waits for "Server is ready" in this run's log; false if the process exited or time ran out. */
    private boolean awaitReady(long deadline) {
        try {
            Awaitility.await("nats-server ready on port " + port)
                    .atMost(remaining(deadline).plusMillis(1))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(25))
                    .until(() -> !process.isAlive() || read(logFile).contains("Server is ready"));
        } catch (ConditionTimeoutException e) {
            return false;
        }
        return process.isAlive();
    }

    @Override
    public void stop() {
        terminate(false);
    }

    @Override
    public void kill() {
        terminate(true);
    }

    private void terminate(boolean forcibly) {
        if (process == null) {
            return;
        }
        if (!forcibly) {
            resume(); // a stopped process does not act on SIGTERM
        }
        paused = false;
        try {
            if (forcibly) {
                process.destroyForcibly();
            } else {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                throw new IllegalStateException("nats-server pid " + process.pid() + " did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while stopping nats-server", e);
        } finally {
            LIVE.remove(process);
        }
    }

    @Override
    public void pause() {
        if (!isRunning()) {
            throw new IllegalStateException("nats-server is not running");
        }
        signal("STOP");
        paused = true;
        // kill(2) returns once the signal is queued: wait until the kernel reports every thread stopped,
        // so that nothing the caller sends next can still be answered
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        Awaitility.await("nats-server pid " + process.pid() + " stopped").atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> allStopped(tasks));
    }

    @Override
    public void resume() {
        if (paused && isRunning()) {
            signal("CONT");
        }
        paused = false;
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling nats-server", e);
        }
    }

    /** Whether every thread under {@code /proc/<pid>/task} is in state T (stopped) or t (traced). */
    private static boolean allStopped(Path tasks) throws IOException {
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) list::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (java.nio.file.NoSuchFileException exited) {
                    continue; // a thread that ended meanwhile
                }
                char state = stat.charAt(stat.lastIndexOf(')') + 2);
                if (state != 'T' && state != 't') {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void restart() {
        if (isRunning()) {
            throw new IllegalStateException("nats-server is still running on port " + port);
        }
        if (port == 0) {
            throw new IllegalStateException("nats-server was never started");
        }
        start();
    }

    @Override
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public long pid() {
        return isRunning() ? process.pid() : -1;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Path storeDir() {
        return storeDir;
    }

    @Override
    public String version() {
        return binary.version();
    }

    Path logFile() {
        return logFile;
    }

    Path workDir() {
        return workDir;
    }

    @Override
    public String logTail(int lines) {
        String text = logFile == null ? "" : read(logFile);
        if (outFile != null) {
            String out = read(outFile).strip();
            if (!out.isEmpty()) {
                text = text + "\n[stdout/stderr]\n" + out;
            }
        }
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            deleteRecursively(workDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
