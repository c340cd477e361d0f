package io.meshbridge.app;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.meshbridge.camel.HealthReporting;
import io.nats.client.Connection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * {@code GET /health} on the worker's HTTP port, the alias of {@code /observe/health/ready} in the older
 * shape: {@code 200 {"status":"UP"}} when every readiness check of Camel's registry is up (the NATS connection,
 * the stream, the context and every route started, no endpoint that is a {@link HealthReporting} reporting a
 * problem such as an archive that stopped writing while its route still counts as started, no stalled
 * connector: {@link MeshHealthChecks}); otherwise {@code 503 {"status":"DOWN","problems":[...]}} with what is
 * down. It stays open when {@code /observe/*} needs a token.
 */
final class HealthRoute extends RouteBuilder {

    /** The route's id. */
    static final String ROUTE_ID = "mesh-health";

    private final Connection connection;

    HealthRoute(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void configure() {
        from("platform-http:/health?httpMethodRestrict=GET")
                .routeId(ROUTE_ID)
                .process(this::answer);
    }

    private void answer(Exchange exchange) {
        List<String> down = readinessProblems(exchange.getContext(), connection.getStatus());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (down.isEmpty()) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setBody("{\"status\":\"UP\"}\n");
        } else {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
            StringBuilder json = new StringBuilder("{\"status\":\"DOWN\",\"problems\":[");
            for (int i = 0; i < down.size(); i++) {
                json.append(i == 0 ? "" : ",").append('"').append(JsonStringEncoder.getInstance()
                        .quoteAsString(down.get(i))).append('"');
            }
            exchange.getMessage().setBody(json.append("]}\n").toString());
        }
    }

    /**
     * What the readiness checks of Camel's health check registry find down (see {@link MeshHealthChecks}), one
     * line each; without any registered check, {@link #problems}.
     */
    static List<String> readinessProblems(CamelContext context, Connection.Status connectionStatus) {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
        if (results.isEmpty()) {
            return problems(context, connectionStatus);
        }
        List<String> down = new ArrayList<>();
        for (HealthCheck.Result r : results) {
            if (r.getState() == HealthCheck.State.UP) {
                continue;
            }
            if (r.getDetails().get("problems") instanceof List<?> listed) {
                listed.forEach(p -> down.add(String.valueOf(p)));
            } else {
                down.add(r.getMessage().orElse("check " + r.getCheck().getId() + " " + r.getState()));
            }
        }
        return down;
    }

    /** What is down, one line each; empty when healthy. */
    static List<String> problems(CamelContext context, Connection.Status connectionStatus) {
        List<String> down = new ArrayList<>();
        if (connectionStatus != Connection.Status.CONNECTED) {
            down.add("NATS connection " + connectionStatus);
        }
        down.addAll(routeProblems(context));
        down.addAll(endpointProblems(context));
        return down;
    }

    /** The context and the routes that are not started, one line each. */
    static List<String> routeProblems(CamelContext context) {
        List<String> down = new ArrayList<>();
        if (!context.getStatus().isStarted()) {
            down.add("Camel context " + context.getStatus());
        }
        for (Route route : context.getRoutes()) {
            var status = context.getRouteController().getRouteStatus(route.getRouteId());
            if (status == null || !status.isStarted()) {
                down.add("route " + route.getRouteId() + " " + status);
            }
        }
        return down;
    }

    /** The problems that endpoints report ({@link HealthReporting}), one line each. */
    static List<String> endpointProblems(CamelContext context) {
        List<String> down = new ArrayList<>();
        for (Endpoint endpoint : context.getEndpoints()) {
            if (endpoint instanceof HealthReporting reporting) {
                reporting.problem().ifPresent(down::add);
            }
        }
        return down;
    }
}
