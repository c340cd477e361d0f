package io.meshbridge.app;

import io.meshbridge.api.ConnectorStates;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The worker's readiness checks, registered in Camel's {@link HealthCheckRegistry} (group {@value #GROUP})
 * next to Camel's own context check (liveness and readiness):
 * <ul>
 *   <li>{@code mesh-nats}: the NATS connection is up;</li>
 *   <li>{@code mesh-stream}: the event stream exists (as of the last reading of {@link ConnectorStates});</li>
 *   <li>{@code mesh-routes}: every route is started (a connector paused on purpose stays started);</li>
 *   <li>{@code mesh-endpoints}: no endpoint reports a problem ({@link io.meshbridge.camel.HealthReporting});</li>
 *   <li>{@code mesh-connectors}: no connector is stalled ({@link ConnectorStates#stalled}) or has lost its
 *       durable (deleted on the server, or with the stream).</li>
 * </ul>
 * Each is a readiness check only: a worker that lost NATS or has a stalled connector is taken out of rotation,
 * not restarted. Every check answers from memory (no I/O); thread-safe.
 */
final class MeshHealthChecks {

    /** The group of the worker's checks. */
    static final String GROUP = "mesh";

    private MeshHealthChecks() {
    }

    /** Registers the checks in {@code context}'s registry. */
    static void register(CamelContext context, Connection connection, ConnectorStates states, String stream,
                         Duration stallAfter) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            throw new IllegalStateException("Camel has no health check registry (camel.health.enabled=false?)");
        }
        for (HealthCheck check : create(connection, states, stream, stallAfter)) {
            if (check instanceof AbstractHealthCheck a) {
                a.setCamelContext(context);
            }
            registry.register(check);
        }
    }

    static List<HealthCheck> create(Connection connection, ConnectorStates states, String stream,
                                    Duration stallAfter) {
        return List.of(
                new Check("mesh-nats", ctx -> connection.getStatus() == Connection.Status.CONNECTED ? List.of()
                        : List.of("NATS connection " + connection.getStatus())),
                new Check("mesh-stream", ctx -> {
                    ConnectorStates.StreamState s = states.streamState();
                    return s.read() && !s.exists() ? List.of("stream " + stream + " missing") : List.of();
                }),
                new Check("mesh-routes", HealthRoute::routeProblems),
                new Check("mesh-endpoints", HealthRoute::endpointProblems),
                new Check("mesh-connectors", ctx -> {
                    long now = System.nanoTime();
                    List<String> stalled = new ArrayList<>();
                    for (ConnectorStates.Connector c : states.connectors()) {
                        var status = ctx.getRouteController().getRouteStatus(c.routeId());
                        String problem = states.reading(c.routeId()).map(ConnectorStates.Reading::problem).orElse(null);
                        if (problem != null && status != null && status.isStarted()) {
                            stalled.add("connector " + c.routeId() + ": " + problem + " (restart the route or the"
                                    + " worker to create it again)");
                        } else if (states.stalled(c, stallAfter, now)) {
                            ConnectorStates.Reading r = states.reading(c.routeId()).orElseThrow();
                            stalled.add("connector " + c.routeId() + " stalled: " + (r.pending() + r.ackPending())
                                    + " event(s) pending on durable " + c.consumer().getDurable()
                                    + ", none settled by this worker for " + stallAfter.toSeconds() + " s or more");
                        }
                    }
                    return stalled;
                }));
    }

    /** A readiness check DOWN with the problems its function lists, UP when there are none. */
    private static final class Check extends AbstractHealthCheck {
        private final Function<CamelContext, List<String>> problems;

        Check(String id, Function<CamelContext, List<String>> problems) {
            super(GROUP, id);
            this.problems = problems;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            List<String> down = problems.apply(getCamelContext());
            if (down.isEmpty()) {
                builder.up();
            } else {
                builder.down().message(String.join("; ", down)).detail("problems", down);
            }
        }
    }
}
