package io.meshbridge.camel;

import io.meshbridge.events.EventTypes;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A {@code mesh:} endpoint: events of the jb-mesh bus stored in a JetStream stream.
 *
 * <p><b>URI forms.</b>
 * <ul>
 *   <li>{@code mesh:<subject filter>} as a consumer ({@code from}): {@code mesh:events.tool.*},
 *   {@code mesh:events.>}, {@code mesh:events.user.alerts.fired}. See {@link MeshConsumer} for the guarantees:
 *   at-least-once, acknowledged after the exchange completes, retries with backoff, dead-letter stream.</li>
 *   <li>{@code mesh:emit} as a producer ({@code to}): emits the body as an event, see {@link MeshProducer}.</li>
 *   <li>{@code mesh:user/<topic>} as a producer: emits a user event {@code user.<topic>} whose data is the
 *   body.</li>
 * </ul>
 * The options are those of {@link MeshConfiguration}, given as URI parameters; the headers are those of
 * {@link MeshConstants}.
 *
 * <p>Thread-safe once started; consumers and producers are created by Camel.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "mesh", title = "Mesh", syntax = "mesh:target",
             category = {Category.MESSAGING}, headersClass = MeshConstants.class, generateConfigurer = false)
public class MeshEndpoint extends DefaultEndpoint {

    /** The producer target that emits the body as an event. */
    public static final String EMIT = "emit";

    /** The prefix of producer targets that emit user events: {@code user/<topic>}. */
    public static final String USER_PREFIX = "user/";

    @UriPath(description = "Consumer: a NATS subject filter on the event stream (events.tool.*, events.>)."
                           + " Producer: emit, or user/<topic> for a user event of type user.<topic>.")
    @Metadata(required = true)
    private final String target;

    @UriParam
    private final MeshConfiguration configuration;

    /** The counts of this endpoint's consumers: Camel creates a new consumer at every start of the route. */
    private final ConsumerStats consumerStats = new ConsumerStats();

    /** An endpoint for {@code target} with its options. */
    public MeshEndpoint(String uri, MeshComponent component, String target, MeshConfiguration configuration) {
        super(uri, component);
        this.target = target;
        this.configuration = configuration;
    }

    @Override
    public MeshComponent getComponent() {
        return (MeshComponent) super.getComponent();
    }

    /** The subject filter (consumer) or {@code emit} / {@code user/<topic>} (producer). */
    public String getTarget() {
        return target;
    }

    /** This endpoint's options. */
    public MeshConfiguration getConfiguration() {
        return configuration;
    }

    /** The event stream: the {@code stream} option, else the component's. */
    public String streamName() {
        return configuration.getStream() != null ? configuration.getStream() : getComponent().getStream();
    }

    /**
     * The name of the durable consumer that this endpoint's consumer uses in the route {@code routeId}: the
     * {@code durable} option, else the route id made a valid consumer name.
     *
     * @throws IllegalArgumentException when the durable option is invalid, or neither it nor a route id is given
     */
    public String durableName(String routeId) {
        if (configuration.getDurable() != null) {
            return Names.requireValidDurable(configuration.getDurable());
        }
        if (routeId == null) {
            throw new IllegalArgumentException("mesh:" + target + " needs a route id or the durable option");
        }
        return Names.token(routeId);
    }

    /** The counts of the consumers of this endpoint (there is one at a time: one route per endpoint). */
    ConsumerStats consumerStats() {
        return consumerStats;
    }

    /** The user topic of a {@code mesh:user/<topic>} producer, {@code null} for {@code mesh:emit}. */
    String userTopic() {
        return target.startsWith(USER_PREFIX) ? target.substring(USER_PREFIX.length()) : null;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (EMIT.equals(target) || target.startsWith(USER_PREFIX)) {
            throw new IllegalArgumentException("mesh:" + target + " is a producer target; consume with a subject"
                    + " filter such as mesh:events.tool.*");
        }
        EventTypes.requireValidFilter(target);
        configuration.validateForConsumer();
        MeshConsumer consumer = new MeshConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() throws Exception {
        if (!EMIT.equals(target) && !target.startsWith(USER_PREFIX)) {
            throw new IllegalArgumentException("mesh:" + target + " cannot be sent to: use mesh:emit or"
                    + " mesh:user/<topic>");
        }
        String topic = userTopic();
        if (topic != null) {
            EventTypes.requireValidType("user." + topic);
        }
        return new MeshProducer(this);
    }

    @Override
    public boolean isRemote() {
        return true;
    }
}
