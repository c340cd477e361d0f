package io.meshbridge.app;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local {@code nats-server} (from the {@code PATH}) that the worker starts when nothing answers at its
 * configured URL and {@code mesh.nats.embedded=auto}: JetStream on, listening on the loopback interface only,
 * its store in {@code <mesh.data.dir>/nats} and its log in {@code <mesh.data.dir>/nats-server.log}.
 * {@link #close()} stops it (SIGTERM, then SIGKILL after 10 s). When the worker itself is killed with
 * SIGKILL the server keeps running; the next worker finds it answering at the URL and uses it.
 */
final class EmbeddedNatsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedNatsServer.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

    private final Process process;
    private final int port;
    private final Path log;

    private EmbeddedNatsServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Whether anything accepts a TCP connection at one of {@code urls} within {@code timeout} each. */
    static boolean anyAnswers(List<String> urls, Duration timeout) {
        for (String url : urls) {
            URI uri = uri(url);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), (int) timeout.toMillis());
                return true;
            } catch (IOException e) {
                // try the next one
            }
        }
        return false;
    }

    /**
     * Starts a server for the first of {@code urls}: on its port when its host is a loopback address,
     * otherwise on a free loopback port.
     *
     * @throws WorkerException when there is no nats-server on the PATH or it does not become ready
     */
    static EmbeddedNatsServer start(List<String> urls, Path dataDir) {
        Path binary = findOnPath("nats-server").orElseThrow(() -> new WorkerException("nothing answers at "
                + urls + " and there is no nats-server on the PATH to start (mesh.nats.embedded=auto): install"
                + " nats-server or point mesh.nats.url at a running server"));
        URI first = uri(urls.get(0));
        int port = isLoopback(first.getHost()) ? port(first) : freePort();
        Path store = dataDir.resolve("nats");
        Path log = dataDir.resolve("nats-server.log");
        try {
            Files.createDirectories(store);
            Process process = new ProcessBuilder(binary.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port),
                    "-js", "-sd", store.toAbsolutePath().toString(), "-n", "mesh-bridge-embedded",
                    "-l", log.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            EmbeddedNatsServer server = new EmbeddedNatsServer(process, port, log);
            server.awaitReady();
            LOG.info("Nothing answered at {}: started a local nats-server {} (pid {}) with JetStream at {}, store {},"
                    + " log {}; it stops with the worker", urls, binary, process.pid(), server.url(),
                    store.toAbsolutePath(), log.toAbsolutePath());
            return server;
        } catch (IOException e) {
            throw new WorkerException("cannot start " + binary + ": " + e.getMessage(), e);
        }
    }

    /** {@code nats://127.0.0.1:<port>}. */
    String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** The server's process id. */
    long pid() {
        return process.pid();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new WorkerException("the local nats-server exited with code " + process.exitValue()
                        + " at start: " + logTail());
            }
            if (anyAnswers(List.of(url()), Duration.ofMillis(200))) {
                return;
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new WorkerException("the local nats-server did not accept connections within " + READY_TIMEOUT
                + ": " + logTail());
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                LOG.warn("The local nats-server did not stop within 10s; killing it");
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            LOG.info("Stopped the local nats-server (pid {})", process.pid());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static URI uri(String url) {
        return URI.create(url.contains("://") ? url : "nats://" + url);
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : 4222;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new WorkerException("no free port for the local nats-server: " + e.getMessage(), e);
        }
    }
}
