package io.meshbridge.testing;

import java.nio.file.Path;

/**
 * What runs one nats-server for a {@link NatsServer}: a local process or, as a fallback, a container.
 *
 * <p>Threading: implementations are not thread-safe; {@link NatsServer} serializes all calls.
 */
interface ServerBackend {

    /** Starts the server and returns once its log says it is ready; fails with the log's tail otherwise. */
    void start();

    /** Stops gracefully (SIGTERM) and waits for the exit. No-op when not running. */
    void stop();

    /** Kills (SIGKILL) and waits for the exit. No-op when not running. */
    void kill();

    /**
     * Freezes the server (SIGSTOP, or a container pause) and returns once every one of its threads is
     * stopped: its sockets stay open and nothing is answered. Fails when the server is not running.
     */
    void pause();

    /** Thaws a paused server (SIGCONT). No-op when it is not paused. */
    void resume();

    /** Starts again on the same port with the same store; the server must not be running. */
    void restart();

    boolean isRunning();

    /** The server process's id while it runs, -1 otherwise or when the backend has no local process. */
    default long pid() {
        return -1;
    }

    /** Host clients connect to. */
    String host();

    /** Client port; 0 before the first start. */
    int port();

    /** The JetStream store directory. */
    Path storeDir();

    /** The server's version without a leading "v". */
    String version();

    /** The last {@code lines} lines of the server's log, for failure messages. */
    String logTail(int lines);

    /** Stops the server and removes everything it wrote. Idempotent. */
    void close();
}
