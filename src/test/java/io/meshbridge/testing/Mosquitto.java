package io.meshbridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * A private Mosquitto broker for tests ({@code /usr/sbin/mosquitto}, or {@code MOSQUITTO_BIN}): its own
 * configuration file, a listener on a random loopback port, persistence on in a temporary directory (so a
 * {@link #restart()} keeps sessions and queued messages), its log there too; never the machine's broker on
 * 1883. Extra configuration lines (a password file, an ACL file, a TLS listener) are appended as given.
 *
 * <p>{@link #start()} returns once the port accepts connections; {@link #stop()} sends SIGTERM (Mosquitto saves
 * its persistence file on the way out); {@link #kill()} SIGKILL; {@link #restart()} starts again on the same
 * port with the same directory; {@link #close()} stops it and deletes the directory. Synchronized.
 */
public final class Mosquitto implements AutoCloseable {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "mosquitto-reaper"));
    }

    private final Path dir;
    private final String extraConfig;
    private final boolean packetLog;
    private int port;
    private int starts;
    private Process process;
    private Path log;

    private Mosquitto(String extraConfig, boolean packetLog) {
        this.extraConfig = extraConfig;
        this.packetLog = packetLog;
        try {
            this.dir = Files.createTempDirectory("mosquitto-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A started broker with {@code extraConfig} appended to its configuration, logging every packet (for
     * {@link #unacknowledgedAtEnd}).
     */
    public static Mosquitto start(String extraConfig) {
        return start(extraConfig, true);
    }

    /** A started broker; {@code packetLog} false logs errors, warnings and notices only (benchmarks). */
    public static Mosquitto start(String extraConfig, boolean packetLog) {
        Mosquitto m = new Mosquitto(extraConfig, packetLog);
        m.start();
        return m;
    }

    /** A started broker with anonymous access. */
    public static Mosquitto startDefault() {
        return start("allow_anonymous true\n");
    }

    /** The binary: {@code MOSQUITTO_BIN}, else {@code /usr/sbin/mosquitto}. */
    public static Path binary() {
        String env = System.getenv("MOSQUITTO_BIN");
        return Path.of(env != null && !env.isBlank() ? env : "/usr/sbin/mosquitto");
    }

    /** The broker's private directory (for password, ACL and certificate files the configuration names). */
    public Path dir() {
        return dir;
    }

    /** Starts (again, on the same port once it has one). */
    public synchronized Mosquitto start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("mosquitto is already running on port " + port);
        }
        boolean fixed = port != 0;
        for (int attempt = 1; ; attempt++) {
            if (!fixed) {
                port = FreePorts.pick();
            } else {
                FreePorts.awaitBindable(port, Duration.ofSeconds(15));
            }
            launch();
            if (awaitReady()) {
                return this;
            }
            String tail = logTail();
            kill();
            if (tail.contains("Address already in use") && attempt < 10) {
                continue;
            }
            throw new IllegalStateException("mosquitto on port " + port + " did not start; its log ends with:\n" + tail);
        }
    }

    private void launch() {
        starts++;
        log = dir.resolve("mosquitto-" + starts + ".log");
        String config = "listener " + port + " 127.0.0.1\n"
                + "persistence true\n"
                + "persistence_location " + dir + "/\n"
                + "autosave_interval 0\n"
                + "max_queued_messages 0\n"
                + "max_inflight_messages 20\n"
                + "log_dest file " + log + "\n"
                + (packetLog ? "log_type all\n" : "log_type error\nlog_type warning\nlog_type notice\n")
                + "user root\n"
                + extraConfig;
        try {
            Path file = Files.writeString(dir.resolve("mosquitto.conf"), config);
            process = new ProcessBuilder(binary().toString(), "-c", file.toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto-" + starts + ".out").toFile())
                    .start();
            LIVE.add(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary(), e);
        }
    }

    private boolean awaitReady() {
        try {
            Awaitility.await("mosquitto ready on port " + port).atMost(Duration.ofSeconds(15))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25))
                    .until(() -> !process.isAlive() || accepts());
        } catch (ConditionTimeoutException e) {
            return false;
        }
        return process.isAlive();
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code tcp://127.0.0.1:<port>}. */
    public synchronized String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** How many times the broker was started (its runs' logs are numbered 1, 2, ...). */
    public synchronized int starts() {
        return starts;
    }

    public synchronized int port() {
        return port;
    }

    /** SIGTERM, waiting for the exit: Mosquitto writes its persistence file first. */
    public synchronized void stop() {
        terminate(false);
    }

    /** SIGKILL: no persistence written since the last save. */
    public synchronized void kill() {
        terminate(true);
    }

    /** Stops (SIGTERM) and starts again on the same port with the same persistence. */
    public synchronized Mosquitto restart() {
        stop();
        return start();
    }

    private void terminate(boolean forcibly) {
        if (process == null) {
            return;
        }
        try {
            if (forcibly) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            LIVE.remove(process);
        }
    }

    /**
     * How many QoS 1 messages the broker had sent to {@code clientId} and not seen acknowledged when its run
     * {@code run} (1 for the first start) ended, read from that run's log (every packet is logged): what the
     * broker sends again to a resumed session, so the most a subscriber can receive twice across that stop.
     */
    public synchronized int unacknowledgedAtEnd(String clientId, int run) {
        java.util.Set<String> sent = new java.util.HashSet<>();
        java.util.regex.Pattern out = java.util.regex.Pattern.compile("Sending PUBLISH to " + java.util.regex.Pattern
                .quote(clientId) + " \\(d[01], q1, r[01], m(\\d+),");
        java.util.regex.Pattern ack = java.util.regex.Pattern.compile("Received PUBACK from " + java.util.regex.Pattern
                .quote(clientId) + " \\(Mid: (\\d+),");
        try {
            for (String line : Files.readAllLines(dir.resolve("mosquitto-" + run + ".log"), StandardCharsets.UTF_8)) {
                java.util.regex.Matcher m = out.matcher(line);
                if (m.find()) {
                    sent.add(m.group(1));
                    continue;
                }
                m = ack.matcher(line);
                if (m.find()) {
                    sent.remove(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sent.size();
    }

    /** The current run's log. */
    public synchronized String logTail() {
        try {
            List<String> lines = log == null || !Files.exists(log) ? List.of()
                    : Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public synchronized void close() {
        terminate(false);
        if (Boolean.getBoolean("mosquitto.keep")) {
            return; // -Dmosquitto.keep=true leaves the directory and its logs for a look
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
