package io.meshbridge.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;

/**
 * Fallback used only when no nats-server binary is installed but Docker is: runs image
 * {@value #IMAGE} with JetStream. Docker maps the client port to a new host port on every container
 * start, so {@link #restart()} (same port, same store) is not possible and fails with a message saying
 * how to install a local binary; {@link #kill()} works (SIGKILL to the container).
 *
 * <p>Threading: not thread-safe; {@link NatsServer} serializes calls.
 */
final class ContainerBackend implements ServerBackend {

    static final String IMAGE = "nats:2.10-alpine";
    private static final Pattern VERSION = Pattern.compile("Version:\\s+(\\S+)");

    private final NatsServer.Settings settings;
    private GenericContainer<?> container;
    private boolean paused;
    private String version = "unknown";

    ContainerBackend(NatsServer.Settings settings) {
        this.settings = settings;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    @SuppressWarnings("resource") // closed in stop()/close()
    public void start() {
        if (isRunning()) {
            throw new IllegalStateException("the nats-server container is already running");
        }
        if (container != null) {
            restart();
        }
        List<String> command = new ArrayList<>();
        if (settings.jetStream()) {
            command.addAll(List.of("-js", "-sd", "/data"));
        }
        GenericContainer<?> c = new GenericContainer<>(IMAGE)
                .withExposedPorts(4222)
                .waitingFor(Wait.forLogMessage(".*Server is ready.*", 1))
                .withStartupTimeout(Duration.ofSeconds(120));
        if (settings.config() != null) {
            c.withCopyToContainer(Transferable.of(settings.config()), "/etc/nats/test.conf");
            command.addAll(List.of("-c", "/etc/nats/test.conf"));
        }
        command.addAll(settings.args());
        c.withCommand(command.toArray(String[]::new));
        container = c;
        c.start();
        Matcher m = VERSION.matcher(c.getLogs());
        if (m.find()) {
            version = m.group(1).replaceFirst("^v", "");
        }
        System.out.println("nats-server v" + version + " (Docker image " + IMAGE + ", no local binary)");
    }

    @Override
    public void stop() {
        if (container != null && container.isRunning()) {
            container.stop();
        }
    }

    @Override
    public void kill() {
        if (container != null && container.isRunning()) {
            container.getDockerClient().killContainerCmd(container.getContainerId()).withSignal("KILL").exec();
        }
    }

    @Override
    public void pause() {
        if (!isRunning()) {
            throw new IllegalStateException("nats-server is not running");
        }
        container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
        paused = true;
    }

    @Override
    public void resume() {
        if (paused) {
            container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
            paused = false;
        }
    }

    @Override
    public void restart() {
        throw new IllegalStateException("restart() on the same port is not possible with the Docker fallback ("
                + IMAGE + "): Docker assigns a new host port to every container. Install a local binary"
                + " (`apt-get install -y nats-server`, or set " + NatsServerBinary.ENV + ").");
    }

    @Override
    public boolean isRunning() {
        return container != null && container.isRunning();
    }

    @Override
    public String host() {
        return container == null ? "127.0.0.1" : container.getHost();
    }

    @Override
    public int port() {
        return isRunning() ? container.getMappedPort(4222) : 0;
    }

    @Override
    public Path storeDir() {
        throw new IllegalStateException("the JetStream store lives inside the Docker container (/data);"
                + " install a local nats-server binary to use storeDir()");
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String logTail(int lines) {
        if (container == null) {
            return "";
        }
        List<String> all = container.getLogs().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
        }
    }
}
