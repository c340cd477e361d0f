package io.meshbridge.camel;

import io.meshbridge.events.ConnectionEvents;
import io.meshbridge.events.NatsConnectionConfig;
import io.meshbridge.events.PersistConfig;
import io.nats.client.Connection;
import io.nats.client.api.StreamConfiguration;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mesh:} Camel component: routes that consume events from, and emit events to, the jb-mesh event
 * stream on NATS JetStream with at-least-once guarantees. Endpoints are described in {@link MeshEndpoint},
 * options in {@link MeshConfiguration}, headers in {@link MeshConstants}.
 *
 * <p><b>Component properties</b> (in Java, or {@code camel.component.mesh.*} in Camel Main):
 * <ul>
 *   <li>{@code connection}: the NATS {@link Connection} to use. When not set, a bean of that type bound in
 *   the registry as {@value MeshConstants#CONNECTION_BEAN} is used; failing that, the component connects
 *   itself with {@code connectionConfig} or {@code url}. The component closes only a connection it created,
 *   when it stops;</li>
 *   <li>{@code stream}: the event stream, default {@value PersistConfig#DEFAULT_STREAM} (an endpoint may
 *   override it with its own {@code stream} option);</li>
 *   <li>{@code nodeName}: the node name filled into emitted events that have none, default the host
 *   name;</li>
 *   <li>{@code configuration}: default endpoint options, copied into every endpoint before its URI
 *   parameters are applied;</li>
 *   <li>{@code gapEvents} (true): whether consumers emit a {@value RetentionGaps#GAP_TYPE} event when the
 *   stream dropped events before their route settled them (they always log and count it), and
 *   {@code gapCheckInterval} (30 s): how often they check, see {@link RetentionGaps}.</li>
 * </ul>
 *
 * <p>At initialisation the component registers type converters from {@code byte[]} (the consumer's body)
 * to {@code io.meshbridge.events.Event} and to {@code Map}.
 *
 * <p>Thread-safe; endpoints may be created concurrently.
 */
@Component("mesh")
public class MeshComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(MeshComponent.class);

    @Metadata(description = "The NATS connection; when not set, a Connection bean named meshConnection is"
                            + " looked up, else the component connects with connectionConfig or url.")
    private Connection connection;

    @Metadata(label = "advanced", description = "How to connect when no connection is given (the component"
                                                + " then owns and closes the connection).")
    private NatsConnectionConfig connectionConfig;

    @Metadata(label = "advanced", description = "NATS server URLs, comma-separated, used when neither a"
                                                + " connection nor connectionConfig is given.")
    private String url;

    @Metadata(defaultValue = PersistConfig.DEFAULT_STREAM, description = "The JetStream stream of the events.")
    private String stream = PersistConfig.DEFAULT_STREAM;

    @Metadata(description = "The node name of emitted events that have none; default the host name.")
    private String nodeName;

    @Metadata(label = "advanced", description = "Default options of every endpoint.")
    private MeshConfiguration configuration = new MeshConfiguration();

    @Metadata(defaultValue = "true", description = "Emit a user.mesh-bridge.gap event when the stream dropped"
                                                  + " events before a route settled them.")
    private boolean gapEvents = true;

    @Metadata(defaultValue = "30s", javaType = "java.time.Duration", description = "How often consumers check"
                                                                                + " for retention gaps.")
    private Duration gapCheckInterval = RetentionGaps.DEFAULT_INTERVAL;

    private Connection ownConnection;

    /** A component to be added to a CamelContext (or found by Camel through its service file). */
    public MeshComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String target = remaining == null ? "" : remaining;
        if (target.indexOf('%') >= 0) {
            target = URLDecoder.decode(target.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        if (target.isEmpty()) {
            throw new IllegalArgumentException("mesh: needs a target: a subject filter (mesh:events.>) to consume,"
                    + " or emit / user/<topic> to produce");
        }
        MeshConfiguration endpointConfiguration = configuration.copy();
        setProperties(endpointConfiguration, parameters);
        return new MeshEndpoint(uri, this, target, endpointConfiguration);
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        MeshTypeConverters.register(getCamelContext());
    }

    @Override
    protected void doStop() throws Exception {
        Connection own;
        synchronized (this) {
            own = ownConnection;
            ownConnection = null;
        }
        if (own != null) {
            own.close();
        }
        super.doStop();
    }

    /**
     * The connection to use: the {@code connection} property, else the registry's
     * {@value MeshConstants#CONNECTION_BEAN}, else one the component opens (and later closes).
     *
     * @throws IllegalStateException when none is configured
     */
    public synchronized Connection connection() throws Exception {
        if (connection != null) {
            return connection;
        }
        Connection bound = getCamelContext().getRegistry()
                .lookupByNameAndType(MeshConstants.CONNECTION_BEAN, Connection.class);
        if (bound != null) {
            return bound;
        }
        if (ownConnection == null) {
            NatsConnectionConfig cfg = connectionConfig != null ? connectionConfig
                    : url != null ? NatsConnectionConfig.of(url) : null;
            if (cfg == null) {
                throw new IllegalStateException("the mesh component has no NATS connection: set its connection"
                        + " property, bind a io.nats.client.Connection bean named '"
                        + MeshConstants.CONNECTION_BEAN + "', or set connectionConfig or url");
            }
            ownConnection = cfg.connect("mesh-bridge " + getNodeName(), new ConnectionEvents());
            LOG.info("Connected to NATS at {}", ownConnection.getConnectedUrl());
        }
        return ownConnection;
    }

    /**
     * The configuration with which consumers create the dead-letter stream {@value MeshConstants#DLQ_STREAM}
     * when it is missing: subjects {@code mesh.dlq.>}, file storage, the default {@link DeadLetterLimits}, a 2
     * minute duplicate window.
     */
    public static StreamConfiguration deadLetterStream() {
        return DeadLetters.streamConfiguration();
    }

    /** The dead-letter stream's configuration with {@code limits} (the worker's {@code mesh.dlq.*}). */
    public static StreamConfiguration deadLetterStream(DeadLetterLimits limits) {
        return DeadLetters.streamConfiguration(limits);
    }

    public Connection getConnection() {
        return connection;
    }

    /** The NATS connection to use; the component never closes it. */
    public void setConnection(Connection connection) {
        this.connection = connection;
    }

    public NatsConnectionConfig getConnectionConfig() {
        return connectionConfig;
    }

    /** How to connect when no connection is given. */
    public void setConnectionConfig(NatsConnectionConfig connectionConfig) {
        this.connectionConfig = connectionConfig;
    }

    public String getUrl() {
        return url;
    }

    /** Comma-separated NATS URLs (without credentials), used when nothing else is given. */
    public void setUrl(String url) {
        this.url = url;
    }

    public String getStream() {
        return stream;
    }

    /** The event stream, default {@value PersistConfig#DEFAULT_STREAM}. */
    public void setStream(String stream) {
        this.stream = stream;
    }

    /** The node name: as set, else the host name, else {@code mesh-bridge}. */
    public synchronized String getNodeName() {
        if (nodeName == null) {
            try {
                nodeName = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                nodeName = "mesh-bridge";
            }
        }
        return nodeName;
    }

    /** The node name filled into emitted events that have none. */
    public synchronized void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public boolean isGapEvents() {
        return gapEvents;
    }

    /** Whether consumers emit an event for a retention gap (default true); they always log and count it. */
    public void setGapEvents(boolean gapEvents) {
        this.gapEvents = gapEvents;
    }

    public Duration getGapCheckInterval() {
        return gapCheckInterval;
    }

    /** How often consumers check for retention gaps after their first dispatch (default 30 s, more than 0). */
    public void setGapCheckInterval(Duration gapCheckInterval) {
        if (gapCheckInterval == null || gapCheckInterval.isNegative() || gapCheckInterval.isZero()) {
            throw new IllegalArgumentException("gapCheckInterval must be more than 0, was " + gapCheckInterval);
        }
        this.gapCheckInterval = gapCheckInterval;
    }

    public MeshConfiguration getConfiguration() {
        return configuration;
    }

    /** Default options of every endpoint created afterwards. */
    public void setConfiguration(MeshConfiguration configuration) {
        this.configuration = configuration;
    }
}
