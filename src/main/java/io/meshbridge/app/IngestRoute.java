package io.meshbridge.app;

import io.meshbridge.ingest.IngestProcessor;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code POST /ingest/<topic>} and {@code POST /ingest/alertmanager} on the worker's HTTP port: one
 * platform-http route on every path below {@code /ingest} (so that a wrong path or method is answered with a
 * JSON reason too), handed to the {@link IngestProcessor}.
 */
final class IngestRoute extends RouteBuilder {

    /** The route's id. */
    static final String ROUTE_ID = "mesh-ingest";

    private final IngestProcessor processor;

    IngestRoute(IngestProcessor processor) {
        this.processor = processor;
    }

    @Override
    public void configure() {
        from("platform-http:" + IngestProcessor.PATH + "?matchOnUriPrefix=true")
                .routeId(ROUTE_ID)
                .process(processor);
    }
}
