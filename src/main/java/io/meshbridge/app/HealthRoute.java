package io.meshbridge.app;

import io.nats.client.Connection;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code GET /health} on the worker's HTTP port: {@code 200 {"status":"UP"}} when the NATS connection is up,
 * the Camel context is started and every route is started; otherwise {@code 503} with what is down.
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
        List<String> down = problems(exchange.getContext());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (down.isEmpty()) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getMessage().setBody("{\"status\":\"UP\"}\n");
        } else {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
            StringBuilder json = new StringBuilder("{\"status\":\"DOWN\",\"problems\":[");
            for (int i = 0; i < down.size(); i++) {
                json.append(i == 0 ? "" : ",").append('"').append(down.get(i).replace("\"", "'")).append('"');
            }
            exchange.getMessage().setBody(json.append("]}\n").toString());
        }
    }

    private List<String> problems(CamelContext context) {
        List<String> down = new ArrayList<>();
        if (connection.getStatus() != Connection.Status.CONNECTED) {
            down.add("NATS connection " + connection.getStatus());
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
        return down;
    }
}
