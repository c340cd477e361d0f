package io.meshbridge.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts one private {@link NatsServer} per test class and closes it, with every
 * connection it handed out, after the class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NatsServerExtension NATS = new NatsServerExtension();
 *
 * @Test
 * void roundTrip() throws Exception {
 *     Connection nc = NATS.connect();          // closed after the class
 *     String subject = NATS.uniqueName("orders");
 *     ...
 * }
 * }</pre>
 *
 * <p>Test and lifecycle methods may also declare a {@link NatsServer} or {@link Connection} parameter.
 * {@code @Nested} classes share the outer class's server. The extension must be registered on a static
 * field; an instance field gets no before-all callback and its getters then fail.
 *
 * <p>Threading: getters, {@link #connect()} and {@link #uniqueName(String)} are thread-safe, so tests
 * running concurrently within the class may share the extension.
 */
public final class NatsServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final NatsServer.Builder builder;
    private final List<Connection> connections = new ArrayList<>();
    private NatsServer server;
    private int depth;

    /** A server with JetStream and the default settings. */
    public NatsServerExtension() {
        this(NatsServer.builder());
    }

    /** A server with the given settings, e.g. {@code NatsServer.builder().config("authorization {...}")}. */
    public NatsServerExtension(NatsServer.Builder builder) {
        this.builder = builder;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (depth++ == 0) {
            server = builder.start();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (--depth > 0) {
            return;
        }
        try {
            for (Connection c : connections) {
                closeQuietly(c);
            }
            connections.clear();
        } finally {
            NatsServer s = server;
            server = null;
            if (s != null) {
                s.close();
            }
        }
    }

    /** The server of the running test class. */
    public synchronized NatsServer server() {
        if (server == null) {
            throw new IllegalStateException("no nats-server: register NatsServerExtension with"
                    + " @RegisterExtension on a static field; it starts in beforeAll");
        }
        return server;
    }

    /** The server's URL, {@code nats://127.0.0.1:port}. */
    public String url() {
        return server().url();
    }

    /** A new connection (endless reconnects), closed automatically after the test class. */
    public Connection connect() throws IOException, InterruptedException {
        return connect(o -> { });
    }

    /**
     * A new connection with {@link NatsServer#clientOptions()} adjusted by {@code customizer}, closed
     * automatically after the test class.
     */
    public Connection connect(Consumer<Options.Builder> customizer) throws IOException, InterruptedException {
        Options.Builder options = server().clientOptions();
        customizer.accept(options);
        Connection connection = Nats.connect(options.build());
        synchronized (this) {
            connections.add(connection);
        }
        return connection;
    }

    /**
     * A name unique in this JVM, usable as a stream, consumer or subject token:
     * {@code prefix_N_xxxxx} with a counter and a random suffix.
     */
    public String uniqueName(String prefix) {
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36, Integer.MAX_VALUE), 36);
        return prefix + "_" + NAMES.incrementAndGet() + "_" + suffix.toUpperCase(Locale.ROOT);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == NatsServer.class || type == Connection.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == NatsServer.class) {
            return server();
        }
        try {
            return connect();
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to " + url(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + url(), e);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("closing a test connection failed: " + e);
        }
    }
}
