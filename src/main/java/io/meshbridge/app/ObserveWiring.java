package io.meshbridge.app;

import io.meshbridge.api.ApiAuth;
import io.meshbridge.api.ConnectorStates;
import io.meshbridge.camel.EmitStats;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.main.Main;

/**
 * How the worker wires health and metrics: Camel Main's Micrometer support ({@code camel.metrics.*}, with the
 * Prometheus registry bound here, so Camel's own route meters land in it too) and health checks
 * ({@code camel.health.*}, with Camel's context check and {@link MeshHealthChecks}); the {@code mesh.*} meters
 * ({@link MeshMetrics}), the durables' readings ({@link ConnectorStates}) and {@code /observe/*}
 * ({@link ObserveRoute}) on the worker's HTTP server. Camel's separate management server stays off, so the
 * one HTTP port serves ingest, {@code /health} and {@code /observe/*}, and no developer endpoint that sends
 * messages is exposed.
 */
final class ObserveWiring implements AutoCloseable {

    private final WorkerConfig config;
    private final Connection connection;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final EmitStats emits = new EmitStats();
    private final ProducerTracker producers = new ProducerTracker();
    private volatile ConnectorStates states;
    private volatile MeshMetrics metrics;

    ObserveWiring(WorkerConfig config, Connection connection) {
        this.config = config;
        this.connection = connection;
    }

    /** Camel Main's settings for metrics and health (the operator's {@code camel.*} keys override them). */
    static void camelProperties(Map<String, String> p) {
        p.put("camel.metrics.enabled", "true");
        // Off by default, both on the hot path of every route and covered by the mesh_connector_* meters: Camel's
        // route policy (camel_exchanges_*: a timer and counters per exchange, measured at 3.5 ms more CPU per
        // 1,000 events of a no-op route, 15.9 against 12.4) and its exchange event notifier (an event per
        // exchange and endpoint). camel.metrics.enable-route-policy=true and
        // camel.metrics.enable-exchange-event-notifier=true turn them on.
        p.put("camel.metrics.enable-route-policy", "false");
        p.put("camel.metrics.enable-exchange-event-notifier", "false");
        // Also off: the route event notifier (camel_routes_added and _running gauges, which the mesh-routes health
        // check and mesh_connector_* cover). It does not ignore exchange events, so with it on Camel creates and
        // dispatches four events per exchange: 7.3 ms of CPU per 1,000 events of a no-op route with it, 6.4 without
        // (1,000,000-event drains). camel.metrics.enable-route-event-notifier=true turns it on.
        p.put("camel.metrics.enable-route-event-notifier", "false");
        p.put("camel.health.enabled", "true");
        // every check with its state in /observe/health, not only those down
        p.put("camel.health.exposure-level", "full");
        // the mesh-routes check covers the routes: Camel's would count a route the supervisor restarts the same
        p.put("camel.health.routes-enabled", "false");
        p.put("camel.health.consumers-enabled", "false");
        p.put("camel.health.producers-enabled", "false");
    }

    /** Binds the registry, the emit counts and the {@code /observe} routes. */
    void bind(Main main) {
        main.bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
        main.bind(EmitStats.BEAN, emits);
        main.configure().addRoutesBuilder(new ObserveRoute(registry, config.observe().token(),
                config.observe().behindApi() ? new ApiAuth(config.api()) : null));
    }

    /** Before the routes start: tracks the producers as Camel adds them. */
    void afterConfigure(CamelContext context) {
        context.addLifecycleStrategy(producers);
    }

    /** After the start: the checks, the meters and the first reading. */
    void afterStart(CamelContext context) {
        ObserveConfig observe = config.observe();
        String stream = config.stream().streamName();
        states = new ConnectorStates(context, connection, stream, observe.pollInterval(), this::refreshMeters);
        MeshMetrics bound = new MeshMetrics(registry, context, states, emits, producers, observe.stallAfter());
        bound.bindConnection(connection);
        bound.refresh();
        metrics = bound;
        MeshHealthChecks.register(context, connection, states, stream, observe.stallAfter());
        states.start();
    }

    /** The durables' readings, once the worker has started; {@code null} before. */
    ConnectorStates states() {
        return states;
    }

    private void refreshMeters() {
        MeshMetrics m = metrics;
        if (m != null) {
            m.refresh();
        }
    }

    @Override
    public void close() {
        if (states != null) {
            states.close();
        }
    }
}
