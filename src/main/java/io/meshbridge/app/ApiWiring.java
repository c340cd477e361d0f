package io.meshbridge.app;

import io.meshbridge.api.ApiAuth;
import io.meshbridge.api.ApiRouter;
import io.meshbridge.api.ConnectorStates;
import io.meshbridge.api.ConnectorsApi;
import io.meshbridge.api.OpenApi;
import io.nats.client.Connection;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the worker wires its HTTP API ({@code io.meshbridge.api}): the operations on the worker's connection,
 * stream, routes and archive directory, behind the {@code mesh.api.*} token check; logs whether the API is
 * open, locked or tokened (never a token).
 */
final class ApiWiring {

    private static final Logger LOG = LoggerFactory.getLogger(ApiWiring.class);

    private final WorkerConfig config;
    private final Connection connection;
    private final Supplier<ConnectorStates> states;

    /** The API on {@code connection}, sharing the durables' readings {@code states} (null until they exist). */
    ApiWiring(WorkerConfig config, Connection connection, Supplier<ConnectorStates> states) {
        this.config = config;
        this.connection = connection;
        this.states = states;
    }

    WorkerConfig config() {
        return config;
    }

    /** The API's route. */
    ApiRoute route() {
        ApiAuth auth = new ApiAuth(config.api());
        if (auth.open()) {
            LOG.warn("HTTP API is OPEN (mesh.api.auth=none): anyone who reaches the HTTP port can read history and"
                    + " pause, rewind or redrive connectors");
        } else if (auth.locked()) {
            LOG.info("HTTP API is locked: no token configured (mesh.api.tokens, MESH_API_TOKENS or"
                    + " mesh.api.tokens-file); /api/... answers 401");
        } else {
            LOG.info("HTTP API accepts {} token(s)", config.api().tokens().size());
        }
        return new ApiRoute(this);
    }

    /** Every operation of the API, on {@code context}'s routes. */
    ApiRouter router(CamelContext context) {
        ApiRouter router = new ApiRouter();
        OpenApi.register(router);
        ConnectorsApi.register(router, context, states, config.observe().stallAfter(), config.shutdownTimeout());
        return router;
    }

    Connection connection() {
        return connection;
    }
}
