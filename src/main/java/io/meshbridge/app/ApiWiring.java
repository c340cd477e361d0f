package io.meshbridge.app;

import io.meshbridge.api.ApiAuth;
import io.meshbridge.api.ApiRouter;
import io.meshbridge.api.ConnectorStates;
import io.meshbridge.api.ConnectorsApi;
import io.meshbridge.api.DeadLetterApi;
import io.meshbridge.api.HistoryApi;
import io.meshbridge.api.OpenApi;
import io.nats.client.Connection;
import java.io.IOException;
import java.nio.file.Path;
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
        try {
            HistoryApi.register(router, connection, config.stream().streamName(), archiveDir());
        } catch (IOException e) {
            throw new WorkerException("cannot set up the history API: " + e.getMessage(), e);
        }
        DeadLetterApi.register(router, context, connection);
        ConnectorsApi.register(router, context, states, config.observe().stallAfter(), config.shutdownTimeout());
        return router;
    }

    /** The archive directory of the shipped archive route ({@code mesh.archive.dir}), where history reaches. */
    Path archiveDir() {
        String dir = config.camelProperties().get(ConfigKeys.ARCHIVE_DIR);
        return dir == null || dir.isBlank() ? null : Path.of(dir.strip());
    }

    Connection connection() {
        return connection;
    }
}
