package io.meshbridge.camel;

import io.meshbridge.events.EmitResult;
import io.meshbridge.events.Event;
import io.meshbridge.events.PersistConfig;
import io.meshbridge.events.PersistentBus;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * The producer of {@code mesh:emit} and {@code mesh:user/<topic>}: emits the message body as an event on the
 * event stream and waits for JetStream's acknowledgement.
 *
 * <p><b>Body.</b> {@code mesh:emit} takes an {@code io.meshbridge.events.Event}, a {@code Map} with the
 * envelope's members ({@code type}, {@code node}, {@code timestamp}, {@code data}) or the JSON envelope as
 * text or bytes. {@code mesh:user/<topic>} takes the data of the user event {@code user.<topic>}: a
 * {@code Map} or a JSON object. An empty node is filled with the component's node name, a missing timestamp
 * with the current time. A body that cannot be an event fails the exchange with a
 * {@link MeshPermanentException}.
 *
 * <p><b>Guarantee.</b> The exchange completes only once the stream has stored the event; when no
 * acknowledgement arrives, the emit is retried with the same id until {@code emitTimeout}, then the exchange
 * fails. The id is the header {@link MeshConstants#EVENT_ID} when the route set it (so a retried exchange is
 * stored once), else a fresh one. The id header that a {@code mesh:} consumer put on the exchange is not
 * reused, since it names the consumed event, not the emitted one: to emit idempotently from a consuming
 * route, set the header to an id derived from it (for example {@code ${header.CamelMeshEventId}-alert}).
 *
 * <p><b>Headers set.</b> {@link MeshConstants#EVENT_ID} (the id used), {@link MeshConstants#SEQUENCE} (the
 * stream sequence) and {@link MeshConstants#DUPLICATE} (whether the id was already stored).
 *
 * <p><b>Counts.</b> With an {@link EmitStats} bound as {@value EmitStats#BEAN}, every emit is counted there
 * by its exchange's route.
 *
 * <p>Thread-safe: exchanges may be sent concurrently; each send blocks its thread until acknowledged.
 */
public class MeshProducer extends DefaultProducer {

    private final MeshEndpoint endpoint;
    private final String userTopic;
    private volatile PersistentBus bus;
    private volatile EmitStats stats;

    /** A producer for {@code endpoint}. */
    public MeshProducer(MeshEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.userTopic = endpoint.userTopic();
    }

    @Override
    public MeshEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        MeshComponent component = endpoint.getComponent();
        PersistConfig config = PersistConfig.defaults()
                .withStreamName(endpoint.streamName())
                .withEmit(endpoint.getConfiguration().getEmitTimeout(), PersistConfig.defaults().maxInFlight());
        bus = PersistentBus.attach(component.connection(), component.getNodeName(), config);
        stats = endpoint.getCamelContext().getRegistry().lookupByNameAndType(EmitStats.BEAN, EmitStats.class);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        EmitResult result;
        try {
            Event event = EventBodies.toEvent(exchange, userTopic, bus.bus().codec());
            String id = chosenId(exchange);
            result = id == null ? bus.emit(event) : bus.emit(event, id);
        } catch (Exception | Error e) {
            if (stats != null) {
                stats.failed(exchange.getFromRouteId());
            }
            throw e;
        }
        if (stats != null) {
            stats.emitted(exchange.getFromRouteId(), result.duplicate());
        }
        org.apache.camel.Message out = exchange.getMessage();
        out.setHeader(MeshConstants.EVENT_ID, result.id());
        out.setHeader(MeshConstants.SEQUENCE, result.sequence());
        out.setHeader(MeshConstants.DUPLICATE, result.duplicate());
    }

    /** The id header set by the route, or {@code null} (also when it is the consumed event's own id). */
    private static String chosenId(Exchange exchange) {
        String id = exchange.getIn().getHeader(MeshConstants.EVENT_ID, String.class);
        if (id == null || id.isBlank()) {
            return null;
        }
        Object consumed = exchange.getProperty(MeshConstants.RECEIVED_EVENT_PROPERTY);
        String consumedId = consumed instanceof ConsumedEvent event ? event.id()
                : exchange.getProperty(MeshConsumer.CONSUMED_ID_PROPERTY, String.class);
        return id.equals(consumedId) ? null : id;
    }
}
