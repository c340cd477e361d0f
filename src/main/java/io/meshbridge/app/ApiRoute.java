package io.meshbridge.app;

import io.meshbridge.api.ApiAuth;
import io.meshbridge.api.ApiProcessor;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code /api/...} on the worker's HTTP port: one platform-http route on every path below {@code /api} (so that
 * a wrong path or method is answered with a JSON reason too), handed to the {@link ApiProcessor} with the
 * operations {@link ApiWiring} registers.
 */
final class ApiRoute extends RouteBuilder {

    /** The route's id. */
    static final String ROUTE_ID = "mesh-api";

    private final ApiWiring wiring;

    ApiRoute(ApiWiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public void configure() {
        from("platform-http:" + ApiProcessor.PATH + "?matchOnUriPrefix=true")
                .routeId(ROUTE_ID)
                .process(new ApiProcessor(new ApiAuth(wiring.config().api()), wiring.router(getContext())));
    }
}
