package io.meshbridge.app;

import io.meshbridge.api.ApiConfig;
import io.meshbridge.camel.DeadLetterLimits;
import io.meshbridge.events.NatsConnectionConfig;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.ingest.IngestConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The worker's configuration, parsed and validated by {@link ConfigParser} from the layered properties of
 * {@link ConfigSources}. Every key is documented, with its default, in {@code config/application.properties}.
 *
 * @param nats             how to connect ({@code mesh.nats.*}); its {@code toString} redacts secrets
 * @param embedded         whether a local nats-server is started when nothing answers ({@code mesh.nats.embedded})
 * @param nodeName         node name of emitted events ({@code mesh.node.name})
 * @param stream           the event stream's settings ({@code mesh.stream.*})
 * @param dataDir          the worker's data directory, e.g. the embedded server's store ({@code mesh.data.dir})
 * @param routes           file path glob of the YAML routes ({@code mesh.routes})
 * @param httpPort         port of the HTTP server with {@code GET /health}, 0 for a free one ({@code mesh.http.port})
 * @param shutdownTimeout  how long a graceful stop may take ({@code mesh.shutdown.timeout})
 * @param camelProperties  the keys of the configuration files that are not {@code mesh.*}: Camel Main's
 *                         {@code camel.*} settings and placeholders used by routes
 * @param ingest           the HTTP ingest's settings ({@code mesh.ingest.*}); its tokens never print
 * @param observe          health, metrics and logs ({@code mesh.health.*}, {@code mesh.observe.*},
 *                         {@code mesh.log.*}); its token never prints
 * @param api              the API's access ({@code mesh.api.*}); its tokens never print
 * @param http             the HTTP server's address and TLS ({@code mesh.http.host}, {@code mesh.http.tls.*})
 * @param deadLetters      the dead-letter stream's limits ({@code mesh.dlq.*})
 */
public record WorkerConfig(NatsConnectionConfig nats, Embedded embedded, String nodeName, PersistConfig stream,
                           Path dataDir, String routes, int httpPort, Duration shutdownTimeout,
                           Map<String, String> camelProperties, IngestConfig ingest, ObserveConfig observe,
                           ApiConfig api, HttpServer http, DeadLetterLimits deadLetters) {

    /**
     * The HTTP server's address and TLS.
     *
     * @param host    the address it binds ({@code 0.0.0.0}: every interface)
     * @param tlsCert a PEM certificate chain, or {@code null} for plain HTTP
     * @param tlsKey  its PEM private key, with {@code tlsCert}
     */
    public record HttpServer(String host, Path tlsCert, Path tlsKey) {
        /** Requires a host; both TLS files or neither. */
        public HttpServer {
            Objects.requireNonNull(host, "host");
            if ((tlsCert == null) != (tlsKey == null)) {
                throw new IllegalArgumentException("tlsCert and tlsKey go together");
            }
        }

        /** Whether the server speaks HTTPS. */
        public boolean tls() {
            return tlsCert != null;
        }
    }

    /** Whether the worker may start its own nats-server. */
    public enum Embedded {
        /** Start a local nats-server from the {@code PATH} when nothing answers at the URL. */
        AUTO,
        /** Never: fail when nothing answers. */
        NEVER
    }

    /** Validates every member. */
    public WorkerConfig {
        Objects.requireNonNull(nats, "nats");
        Objects.requireNonNull(embedded, "embedded");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(dataDir, "dataDir");
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("nodeName must not be empty");
        }
        if (routes == null || routes.isBlank()) {
            throw new IllegalArgumentException("routes must not be empty");
        }
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("httpPort must be 0 to 65535, was " + httpPort);
        }
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("shutdownTimeout must be at least 1s, was " + shutdownTimeout);
        }
        camelProperties = Map.copyOf(camelProperties == null ? Map.of() : camelProperties);
        Objects.requireNonNull(ingest, "ingest");
        Objects.requireNonNull(observe, "observe");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }
}
