package io.meshbridge.app;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.meshbridge.camel.HealthReporting;
import io.nats.client.Connection;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code GET /health} on the worker's HTTP port: {@code 200 {"status":"UP"}} when the NATS connection is up,
 * the Camel context is started, every route is started and no endpoint that is a {@link HealthReporting}
 * reports a problem (e.g. an archive that stopped writing while its route still counts as started); otherwise
 * {@code 503} with what is down.
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
        List<String> down = problems(exchange.getContext(), connection.getStatus());
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

    /** What is down, one line each; empty when healthy. */
    static List<String> problems(CamelContext context, Connection.Status connectionStatus) {
        List<String> down = new ArrayList<>();
        if (connectionStatus != Connection.Status.CONNECTED) {
            down.add("NATS connection " + connectionStatus);
        }
        if (!context.getStatus().isStarted()) {
            down.add("Camel context " + context.getStatus());
        }
        for (Route route : context.getRoutes()) {
            var status = context.getRouteController().getRouteStatus(route.getRouteId());
            if (status == null || !status.isStarted()) {
                down.add("route " + route.getRouteId() + " " + status);
            }
        }
        for (Endpoint endpoint : context.getEndpoints()) {
            if (endpoint instanceof HealthReporting reporting) {
                reporting.problem().ifPresent(down::add);
            }
        }
        return down;
    }
}
