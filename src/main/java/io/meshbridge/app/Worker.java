package io.meshbridge.app;

import io.meshbridge.camel.MeshComponent;
import io.meshbridge.camel.MeshConstants;
import io.meshbridge.events.ConnectionEvents;
import io.meshbridge.events.NatsConnectionConfig;
import io.meshbridge.events.PersistentBus;
import io.meshbridge.events.StreamSetup;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh-bridge worker: a Camel Main application running YAML routes with the {@code mesh:} component.
 *
 * <p><b>Start.</b> Connects to NATS (or, with {@code mesh.nats.embedded=auto} and nothing answering at the
 * URL, starts a local nats-server first, see {@link EmbeddedNatsServer}); ensures the event stream as the
 * events library does (created when missing, an operator's stream left as it is unless
 * {@code mesh.stream.update-existing}) and the dead-letter stream {@value MeshConstants#DLQ_STREAM} (its
 * limits, {@code mesh.dlq.*}, and replicas applied also to an existing one: it is the worker's own); binds
 * the connection in the registry as {@value MeshConstants#CONNECTION_BEAN} and a configured {@code mesh}
 * component (stream, node name); then starts Camel Main with the route templates inside the jar
 * ({@code classpath:templates/*.yaml}), the routes of {@code mesh.routes}, and the HTTP server with
 * {@code GET /health}, {@code /observe/health} and {@code /observe/metrics} (see {@link ObserveWiring}), the
 * HTTP ingest ({@code POST /ingest/...}, see {@link IngestWiring}) and the API ({@code /api/...}, see
 * {@link ApiWiring}), on {@code mesh.http.host}, with HTTPS when {@code mesh.http.tls.*} is set.
 *
 * <p><b>Stop.</b> On SIGTERM (or SIGINT) Camel stops the routes gracefully: consumers stop fetching, running
 * exchanges finish and are acknowledged, within {@code mesh.shutdown.timeout}; then the connection is
 * flushed and closed and the local nats-server, if any, stopped. The JVM exits only after all of that.
 */
public final class Worker {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final WorkerConfig config;
    private final List<String> sources;
    private final CountDownLatch finished = new CountDownLatch(1);

    /** A worker with {@code config}, read from {@code sources} (for the log). */
    public Worker(WorkerConfig config, List<String> sources) {
        this.config = config;
        this.sources = List.copyOf(sources);
    }

    /**
     * Runs until the process is asked to stop.
     *
     * @throws WorkerException when the worker cannot start
     */
    public void run() {
        LogSettings.apply(config.observe());
        Main main = new Main();
        Thread hook = new Thread(() -> awaitCleanStop(main), "mesh-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        EmbeddedNatsServer embedded = null;
        Connection connection = null;
        try {
            LOG.info("mesh-bridge worker {} starting; configuration from {}", config.nodeName(), sources);
            NatsConnectionConfig nats = config.nats();
            if (!EmbeddedNatsServer.anyAnswers(nats.servers(), PROBE_TIMEOUT)) {
                if (config.embedded() == WorkerConfig.Embedded.NEVER) {
                    throw new WorkerException("nothing answers at " + nats.servers()
                            + " and mesh.nats.embedded is never: start a nats-server or fix mesh.nats.url");
                }
                embedded = EmbeddedNatsServer.start(nats.servers(), config.dataDir());
                nats = new NatsConnectionConfig(List.of(embedded.url()), null, null, null, null, null, null,
                        nats.connectTimeout());
            }
            LOG.info("Connecting with {}", nats);
            connection = connect(nats);
            ensureStreams(connection);
            configure(main, connection);
            main.run();
        } catch (WorkerException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerException("interrupted while starting", e);
        } catch (Exception e) {
            throw new WorkerException(describe(e), e);
        } finally {
            close(connection);
            if (embedded != null) {
                embedded.close();
            }
            LOG.info("mesh-bridge worker {} stopped", config.nodeName());
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running and waits for us
            }
        }
    }

    private Connection connect(NatsConnectionConfig nats) throws InterruptedException {
        try {
            Connection connection = nats.connect("mesh-bridge " + config.nodeName(), new ConnectionEvents());
            LOG.info("Connected to NATS at {} (server {})", connection.getConnectedUrl(),
                    connection.getServerInfo().getVersion());
            return connection;
        } catch (IOException e) {
            throw new WorkerException("cannot connect to NATS at " + nats.servers() + ": " + describe(e), e);
        }
    }

    private void ensureStreams(Connection connection) throws IOException {
        try {
            PersistentBus bus = PersistentBus.open(connection, config.nodeName(), config.stream());
            StreamSetup.Outcome events = bus.streamSetup();
            LOG.info("Event stream {}: {}", config.stream().streamName(), events.created() ? "created"
                    : events.updated() ? "updated" : events.differences().isEmpty() ? "in place"
                    : "in place, left as configured (differences above)");
            // the dead-letter stream is the worker's own: its limits and replicas follow the configuration
            StreamSetup.Outcome dlq = StreamSetup.ensure(connection, StreamConfiguration.builder(
                    MeshComponent.deadLetterStream(config.deadLetters())).replicas(config.stream().replicas()).build(),
                    true);
            LOG.info("Dead-letter stream {}: {} (max age {}, max bytes {})", MeshConstants.DLQ_STREAM,
                    dlq.created() ? "created" : dlq.updated() ? "limits updated" : "in place",
                    config.deadLetters().maxAge(), config.deadLetters().maxBytes());
        } catch (JetStreamApiException e) {
            throw new WorkerException("cannot set up the streams: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new WorkerException(e.getMessage(), e);
        }
    }

    private void configure(Main main, Connection connection) {
        Map<String, Object> properties = new LinkedHashMap<>(camelProperties(config));
        main.setDefaultPropertyPlaceholderLocation("false");
        main.setOverrideProperties(properties);
        main.bind(MeshConstants.CONNECTION_BEAN, connection);
        MeshComponent mesh = new MeshComponent();
        mesh.setConnection(connection);
        mesh.setStream(config.stream().streamName());
        mesh.setNodeName(config.nodeName());
        main.bind("mesh", mesh);
        main.configure().addRoutesBuilder(new HealthRoute(connection));
        main.configure().addRoutesBuilder(IngestWiring.route(config, connection));
        ObserveWiring observe = new ObserveWiring(config, connection);
        main.configure().addRoutesBuilder(new ApiWiring(config, connection, observe::states).route());
        observe.bind(main);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                HttpServerWiring.beforeConfigure(support.getCamelContext(), config);
            }

            @Override
            public void afterConfigure(BaseMainSupport support) {
                observe.afterConfigure(support.getCamelContext());
            }

            @Override
            public void afterStart(BaseMainSupport support) {
                VertxPlatformHttpServer http = support.getCamelContext().hasService(VertxPlatformHttpServer.class);
                IngestWiring.afterStart(support.getCamelContext(), config);
                observe.afterStart(support.getCamelContext());
                LOG.info("mesh-bridge worker {} started: {} route(s), HTTP port {} (GET /health) on {}{}, /api, {}/health,"
                        + " {}/metrics{}", config.nodeName(), support.getCamelContext().getRoutes().size(),
                        http == null ? "?" : Integer.toString(http.getPort()), config.http().host(),
                        config.http().tls() ? " with TLS" : "", ObserveRoute.PREFIX,
                        ObserveRoute.PREFIX, config.observe().token() == null && !config.observe().behindApi() ? "" : " with a token");
            }

            @Override
            public void beforeStop(BaseMainSupport support) {
                observe.close();
            }
        });
    }

    /** Camel Main's settings for {@code config}: the worker's own, then the files' non-mesh keys. */
    static Map<String, String> camelProperties(WorkerConfig config) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.main.name", "mesh-bridge");
        p.put("camel.main.routes-include-pattern", "classpath:templates/*.yaml,file:" + routesGlob(config.routes()));
        p.put("camel.main.routes-reload-enabled", "false");
        long seconds = (config.shutdownTimeout().toMillis() + 999) / 1000;
        p.put("camel.main.shutdown-timeout", Long.toString(seconds));
        p.put("camel.main.shutdown-log-inflight-exchanges-on-timeout", "true");
        p.put("camel.server.enabled", "true");
        p.put("camel.server.port", Integer.toString(config.httpPort()));
        IngestWiring.serverProperties(config, p);
        HttpServerWiring.camelProperties(config, p);
        ObserveWiring.camelProperties(p);
        p.putAll(config.camelProperties());
        return p;
    }

    /** {@code mesh.routes} as an absolute path glob (relative ones are relative to the working directory). */
    static String routesGlob(String routes) {
        Path p = Path.of(routes);
        return p.isAbsolute() ? routes : Path.of("").toAbsolutePath().resolve(routes).normalize().toString();
    }

    private void awaitCleanStop(Main main) {
        main.completed();
        long budget = config.shutdownTimeout().toMillis() + TimeUnit.SECONDS.toMillis(20);
        try {
            if (!finished.await(budget, TimeUnit.MILLISECONDS)) {
                System.err.println("mesh-bridge: the worker did not stop within " + budget + " ms; exiting anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.flush(Duration.ofSeconds(5));
        } catch (Exception e) {
            LOG.warn("Could not flush the NATS connection before closing: {}", e.toString());
        }
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String text = message == null || message.isBlank() ? root.getClass().getName()
                : root.getClass().getSimpleName() + ": " + message;
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
