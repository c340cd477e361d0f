package io.meshbridge.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A handle on one private nats-server for tests: its own random port on 127.0.0.1, its own JetStream
 * store and log in a temporary directory, never the machine's shared server.
 *
 * <p>{@link #start()} returns once the log says "Server is ready" and, unless disabled, JetStream answers
 * an account-info request; otherwise it fails with the tail of the server log. {@link #kill()} (SIGKILL)
 * and {@link #stop()} (SIGTERM) keep the store, and {@link #restart()} brings the server back on the same
 * port with the same store. {@link #close()} stops it and deletes the temporary directory.
 *
 * <p>The binary comes from {@link NatsServerBinary}; without one, a Docker container ({@code
 * nats:2.10-alpine}) is used when Docker is available, and then {@link #restart()} and {@link
 * #storeDir()} fail with a message saying how to install a local binary.
 *
 * <p>Threading: all methods are synchronized, so a server may be shared by several test threads;
 * connections obtained from it are jnats connections with their own threading.
 */
public final class NatsServer implements AutoCloseable {

    /** What a server is started with; built by {@link Builder}. */
    record Settings(String name, String config, List<String> args, int port, boolean jetStream,
                    boolean awaitJetStream, Duration readyTimeout, Consumer<Options.Builder> clientOptions,
                    boolean localOnly) {
    }

    private final Settings settings;
    private final ServerBackend backend;

    private NatsServer(Settings settings) {
        this.settings = settings;
        NatsServerBinary binary = NatsServerBinary.find().orElse(null);
        if (binary != null) {
            backend = new ProcessBackend(binary, settings);
        } else if (!settings.localOnly() && ContainerBackend.dockerAvailable()) {
            backend = new ContainerBackend(settings);
        } else {
            throw new IllegalStateException(NatsServerBinary.notFoundMessage()
                    + (settings.localOnly() ? "" : " (Docker, the other option, is not available either.)"));
        }
    }

    /** A builder for a server with JetStream on a random port and no extra configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a server with the default settings. */
    public static NatsServer startDefault() {
        return builder().start();
    }

    /** Starts the server; see the class description for what "started" means. */
    public synchronized NatsServer start() {
        backend.start();
        awaitJetStream();
        return this;
    }

    /** Stops gracefully (SIGTERM) and waits for the process to exit; the store is kept. */
    public synchronized void stop() {
        backend.stop();
    }

    /** Kills the process with SIGKILL (no shutdown, like a crash) and waits for it; the store is kept. */
    public synchronized void kill() {
        backend.kill();
    }

    /**
     * Freezes the process (SIGSTOP) and returns once all its threads are stopped: the connections stay
     * up and nothing is answered, like a server stalled on a full disk or a long pause. {@link #resume}
     * thaws it; {@link #close} thaws it too.
     */
    public synchronized void pause() {
        backend.pause();
    }

    /** Thaws a {@link #pause paused} server. No-op when it is not paused. */
    public synchronized void resume() {
        backend.resume();
    }

    /**
     * Starts again on the same port with the same store and configuration, stopping first if needed.
     * Retries for a few seconds while the port is still held after a kill.
     */
    public synchronized NatsServer restart() {
        if (backend instanceof ContainerBackend) {
            backend.restart(); // fails with an explanation, before anything is stopped
        }
        if (backend.isRunning()) {
            backend.stop();
        }
        backend.restart();
        awaitJetStream();
        return this;
    }

    public synchronized boolean isRunning() {
        return backend.isRunning();
    }

    /** The server process's id while it runs, -1 otherwise or when it runs in a container (benchmarks read its CPU). */
    public synchronized long pid() {
        return backend.pid();
    }

    /** {@code nats://127.0.0.1:port}. */
    public synchronized String url() {
        return "nats://" + backend.host() + ":" + port();
    }

    /** The client port (the same across restarts). */
    public synchronized int port() {
        int port = backend.port();
        if (port == 0) {
            throw new IllegalStateException("the server has not been started");
        }
        return port;
    }

    /** The JetStream store directory (kept across stop, kill and restart). */
    public synchronized Path storeDir() {
        return backend.storeDir();
    }

    /** The server's version without a leading "v", e.g. {@code "2.9.10"}. */
    public synchronized String version() {
        return backend.version();
    }

    /** Whether {@link #version()} is at least {@code major.minor.patch}. */
    public synchronized boolean versionAtLeast(int major, int minor, int patch) {
        return NatsServerBinary.compareVersions(version(), major, minor, patch) >= 0;
    }

    /** The log file of the current (or last) run, or null when running in Docker. */
    public synchronized Path logFile() {
        return backend instanceof ProcessBackend p ? p.logFile() : null;
    }

    /** The last {@code lines} lines of the server's log, for assertion messages. */
    public synchronized String logTail(int lines) {
        return backend.logTail(lines);
    }

    /**
     * jnats options for this server: its URL, the builder's client options (credentials, TLS), endless
     * reconnects every 100 ms and a 5 s connection timeout. Callers may override any of them.
     */
    public synchronized Options.Builder clientOptions() {
        Options.Builder options = Options.builder()
                .server(url())
                .connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(100));
        settings.clientOptions().accept(options);
        return options;
    }

    /** A new connection with {@link #clientOptions()}; the caller closes it. */
    public Connection connect() throws IOException, InterruptedException {
        return Nats.connect(clientOptions().build());
    }

    /** Stops the server and deletes its temporary directory (store, config, logs). Idempotent. */
    @Override
    public synchronized void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return "NatsServer[" + (backend.port() == 0 ? "not started" : url()) + ", v" + backend.version() + "]";
    }

    private void awaitJetStream() {
        if (!settings.jetStream() || !settings.awaitJetStream()) {
            return;
        }
        Options options = clientOptions().maxReconnects(0).connectionTimeout(Duration.ofSeconds(2)).build();
        try {
            Awaitility.await("JetStream ready at " + url())
                    .atMost(settings.readyTimeout())
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(() -> {
                        try (Connection c = Nats.connect(options)) {
                            return c.jetStreamManagement().getAccountStatistics() != null;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            String tail = backend.logTail(40);
            throw new IllegalStateException("nats-server " + version() + " at " + url() + " did not answer a"
                    + " JetStream account request within " + settings.readyTimeout().toSeconds() + " s ("
                    + e.getCause() + "); log ends with:\n" + tail, e);
        }
    }

    /**
     * Settings for a {@link NatsServer}. Defaults: JetStream on, random port, 10 s to become ready, wait for
     * JetStream with an unauthenticated connection.
     *
     * <p>Threading: not thread-safe; build on one thread. A builder may be built more than once.
     */
    public static final class Builder {
        private String name = "nats-server";
        private String config;
        private final List<String> args = new ArrayList<>();
        private int port;
        private boolean jetStream = true;
        private boolean awaitJetStream = true;
        private Duration readyTimeout = Duration.ofSeconds(10);
        private Consumer<Options.Builder> clientOptions = o -> { };
        private boolean localOnly;

        private Builder() {
        }

        /** Prefix of the temporary directory (useful to tell cluster nodes apart). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /**
         * Text of a nats-server configuration file (accounts, authorization, TLS, cluster...), written
         * into the temporary directory and passed with {@code -c}. The port, address, store and log given
         * on the command line take precedence over the file.
         */
        public Builder config(String configText) {
            this.config = configText;
            return this;
        }

        /** Extra command-line arguments, appended after the harness's own. */
        public Builder args(String... extra) {
            args.addAll(Arrays.asList(extra));
            return this;
        }

        /** A fixed client port instead of a random free one (0 = random). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Whether to pass {@code -js} (default true). */
        public Builder jetStream(boolean enabled) {
            this.jetStream = enabled;
            return this;
        }

        /**
         * Whether {@link #start()} also waits for JetStream to answer (default true); turn off when the
         * harness cannot connect (e.g. TLS without {@link #clientOptions}) or for cluster nodes.
         */
        public Builder awaitJetStream(boolean await) {
            this.awaitJetStream = await;
            return this;
        }

        /** How long a start may take before it fails (default 10 s). */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Adjusts every jnats {@link Options.Builder} the harness makes for this server (its own readiness
         * probe and {@link NatsServer#clientOptions()}), e.g. {@code o -> o.userInfo("u", "p")}.
         */
        public Builder clientOptions(Consumer<Options.Builder> customizer) {
            this.clientOptions = Objects.requireNonNull(customizer);
            return this;
        }

        /** Refuse the Docker fallback: a local binary is required (cluster nodes). */
        Builder localOnly() {
            this.localOnly = true;
            return this;
        }

        /** A server with these settings, not started yet. */
        public NatsServer build() {
            return new NatsServer(new Settings(name, config, List.copyOf(args), port, jetStream, awaitJetStream,
                    readyTimeout, clientOptions, localOnly));
        }

        /** Builds and starts; the server is closed if the start fails. */
        public NatsServer start() {
            NatsServer server = build();
            try {
                return server.start();
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
        }
    }
}
