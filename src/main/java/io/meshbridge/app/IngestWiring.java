package io.meshbridge.app;

import io.meshbridge.events.PersistentBus;
import io.meshbridge.ingest.IngestConfig;
import io.meshbridge.ingest.IngestProcessor;
import io.meshbridge.ingest.IngestService;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the worker wires the HTTP ingest ({@code io.meshbridge.ingest}): its route on the worker's connection,
 * the HTTP server's body limit, and JSON answers for bodies the server refuses before any route runs.
 */
final class IngestWiring {

    private static final Logger LOG = LoggerFactory.getLogger(IngestWiring.class);
    private static final String MAX_BODY_SIZE = "camel.server.max-body-size";

    private IngestWiring() {
    }

    /**
     * The ingest's route on {@code connection}, with a bus of its own whose in-flight window is larger than the
     * ingest's (so that an emit never blocks a Vert.x thread); logs whether the ingest is open, locked or
     * tokened (token names only).
     */
    static IngestRoute route(WorkerConfig config, Connection connection) {
        IngestConfig ingest = config.ingest();
        PersistentBus bus;
        try {
            bus = PersistentBus.attach(connection, config.nodeName(),
                    config.stream().withEmit(ingest.ackTimeout(), 2 * ingest.maxInFlight() + 1));
        } catch (IOException | JetStreamApiException e) {
            throw new WorkerException("cannot attach the ingest to stream " + config.stream().streamName() + ": "
                    + e.getMessage(), e);
        }
        if (ingest.auth() == IngestConfig.Auth.NONE) {
            LOG.warn("HTTP ingest is OPEN (mesh.ingest.auth=none): anyone who reaches the HTTP port can emit events"
                    + " user.<topic>");
        } else if (ingest.tokens().isEmpty()) {
            LOG.info("HTTP ingest is locked: no token configured (mesh.ingest.tokens, MESH_INGEST_TOKENS or"
                    + " mesh.ingest.tokens-file); POST /ingest/... answers 401");
        } else {
            LOG.info("HTTP ingest accepts {} token(s): {}", ingest.tokens().tokens().size(),
                    ingest.tokens().tokens().stream().map(t -> t.name()).toList());
        }
        if (!ingest.signatureSecrets().isEmpty()) {
            LOG.info("HTTP ingest requires Standard Webhooks signatures ({} secret(s))",
                    ingest.signatureSecrets().size());
        }
        return new IngestRoute(new IngestProcessor(new IngestService(ingest, bus)));
    }

    /**
     * Adds the HTTP server's body limit to Camel Main's settings {@code p}: the ingest's, so that a larger body is
     * refused before it is buffered, unless the operator set {@code camel.server.max-body-size} (any spelling).
     */
    static void serverProperties(WorkerConfig config, Map<String, String> p) {
        if (ownMaxBodySize(config) == null) {
            p.put(MAX_BODY_SIZE, Integer.toString(config.ingest().maxBody()));
        }
    }

    /** After start: bodies the server refuses (413) below {@code /ingest} are answered in JSON like the rest. */
    static void afterStart(CamelContext context, WorkerConfig config) {
        String limit = maxBodySize(config);
        for (VertxPlatformHttpRouter router : context.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            router.route(IngestProcessor.PATH + "*").failureHandler(ctx -> bodyTooLarge(ctx, limit));
        }
    }

    private static void bodyTooLarge(RoutingContext ctx, String limit) {
        if (ctx.statusCode() != 413 || ctx.response().ended()) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                .end("{\"status\":413,\"reason\":\"body larger than the HTTP server's limit of " + limit
                        + " bytes\"}\n");
    }

    /** The HTTP server's body limit: the operator's {@code camel.server.max-body-size}, else the ingest's. */
    static String maxBodySize(WorkerConfig config) {
        String own = ownMaxBodySize(config);
        return own != null ? own : Integer.toString(config.ingest().maxBody());
    }

    private static String ownMaxBodySize(WorkerConfig config) {
        for (Map.Entry<String, String> e : config.camelProperties().entrySet()) {
            if (e.getKey().replace("-", "").equalsIgnoreCase("camel.server.maxBodySize")) {
                return e.getValue();
            }
        }
        return null;
    }
}
