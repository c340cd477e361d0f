package io.meshbridge.cli;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of the commands that talk to a running worker's API ({@code connectors}, {@code dlq}): where the
 * worker is ({@code --api}) and how long to wait ({@code --timeout}, each command giving its own default); the
 * token comes from {@code MESH_API_TOKEN} (see {@link ApiClient}).
 */
final class ApiTarget {

    @Option(names = "--api", paramLabel = "URL",
            description = "the worker's HTTP base URL (default: http://127.0.0.1:$MESH_HTTP_PORT, port 8080"
                    + " when unset)")
    String api;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = HealthCommand.TimeoutConverter.class,
            description = "time allowed to connect and for each answer, e.g. 30s, 5m (default: 60s for connectors,"
                    + " 10s for dlq ls and rm, 10m for dlq redrive)")
    Duration timeout;

    /** The environment the token and the default port come from (tests replace it). */
    Map<String, String> env = System.getenv();

    /** A client of the worker, waiting {@code --timeout}, else {@code fallback}. */
    ApiClient client(CommandLine cl, Duration fallback) {
        return ApiClient.of(cl, api, timeout != null ? timeout : fallback, env);
    }
}
